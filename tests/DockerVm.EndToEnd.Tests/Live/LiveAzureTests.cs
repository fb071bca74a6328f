using Xunit.Abstractions;

namespace DockerVm.EndToEnd.Tests.Live;

/// <summary>
/// The scenario against a real deployment from <c>azd up</c>: run by <c>scripts/live-test.sh</c> with the azd
/// environment's outputs and the caller's Azure login; skipped (reported skipped) everywhere else.
/// </summary>
public sealed class LiveAzureTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task LiveAzure_ProvisionConnectDeprovision_WorksFromTheCallersMachineAndLeavesNothingBehind()
    {
        using var target = LiveTarget.FromEnvironment();
        Skip.If(target is null, $"No live deployment: run scripts/live-test.sh against an `azd up` environment ({LiveTarget.Switch}=1).");
        Skip.If(DockerCli.Executable is null, "No docker CLI on this machine.");

        await LiveScenario.RunAsync(target, output);
    }
}
