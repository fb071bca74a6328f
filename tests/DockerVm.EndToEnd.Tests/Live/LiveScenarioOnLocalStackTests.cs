using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DockerVm.EndToEnd.Tests.Live;

/// <summary>
/// The live scenario's own steps, run here against the local stack so they are known to work before anyone points them
/// at a subscription: only endpoints, credential and trust differ.
/// </summary>
[Collection(LocalStackCollectionDefinition.Name)]
public sealed class LiveScenarioOnLocalStackTests(LocalStackFixture stack, ITestOutputHelper output) : LocalStackTest(stack)
{
    [SkippableFact]
    public async Task LiveScenario_AgainstTheLocalStack_ProvisionsConnectsWithDockerCliAndLeavesNothingBehind()
    {
        Skip.If(DockerCli.Executable is null, "No docker CLI on this machine (scripts/install-debian-packages.sh installs docker.io).");
        var emulator = Stack.Emulator;
        var transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(emulator.Certificate.RawData),
        });
        var credential = new EmulatorCredential(Stack);
        using var api = new HttpClient { BaseAddress = Stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var target = new LiveTarget
        {
            Api = api,
            Credential = credential,
            Arm = new ArmClient(credential, emulator.SubscriptionId, new ArmClientOptions
            {
                Environment = new ArmEnvironment(emulator.ArmEndpoint, emulator.ArmAudience),
                Transport = transport,
            }),
            Secrets = vault => new SecretClient(vault, credential, new SecretClientOptions { DisableChallengeResourceVerification = true, Transport = transport }),
            SubscriptionId = emulator.SubscriptionId,
            ResourceGroup = LocalStackFixture.ResourceGroup,
            Location = "westeurope",
            AllowedSourceCidr = "127.0.0.0/8",
            SshPublicKey = LocalStackFixture.SshPublicKey,
            ConnectByAddress = true,
            ProvisioningTimeout = TimeSpan.FromSeconds(90),
            PollInterval = TimeSpan.FromMilliseconds(250),
            CleanupGrace = TimeSpan.FromSeconds(5),
        };

        await LiveScenario.RunAsync(target, output);
    }

    /// <summary>Tokens from the emulator's own issuer, for the scope each client asks for (the emulator drops "/.default").</summary>
    private sealed class EmulatorCredential(LocalStackFixture stack) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(stack.Emulator.IssueToken(requestContext.Scopes[0]), DateTimeOffset.UtcNow.AddMinutes(30));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
