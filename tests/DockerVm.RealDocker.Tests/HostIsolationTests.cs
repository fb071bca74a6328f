using DockerVm.Emulator.Guest;
using DockerVm.RealDocker.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace DockerVm.RealDocker.Tests;

/// <summary>After the sandboxes (their dockerd with iptables, userns-remap, containers) are gone, the host is as it was:
/// namespaces only, every process stopped by PID, mounts undone (issue 12, "Nothing touches the host's network
/// configuration or /etc").</summary>
[Collection("9 Host isolation")]
public sealed class HostIsolationTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Host_AfterTheSandboxesAreTornDown_KeepsItsNetfilterRulesEtcDockerFilesAndNetwork()
    {
        Skip.If(RealDockerRequirements.Missing is not null, RealDockerRequirements.Missing);
        if (HostState.SandboxesTornDown == 0)
        {
            // Run alone (a filter): one sandbox of its own, with Debian's unit starting dockerd (iptables, docker0).
            await HostState.CaptureBaselineOnceAsync();
            await using var sandbox = await GuestSandbox.StartAsync(new GuestSandboxOptions("isolation", GuestAddresses.RandomGuest()), NullLogger.Instance);
            var started = await sandbox.RunAsync("systemctl start docker.socket docker.service && docker info --format '{{.Name}}'");
            Assert.True(started.Succeeded, started.Describe());
        }

        var before = HostState.Baseline!;
        var after = await HostState.CaptureAsync();

        output.WriteLine($"sandboxes torn down before this check: {HostState.SandboxesTornDown}");
        output.WriteLine(after.Netfilter);
        output.WriteLine($"{after.Files.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} watched paths compared");
        Assert.Equal(before.Netfilter, after.Netfilter);
        Assert.Equal(before.Files, after.Files);
        Assert.Equal("", after.Leftovers);
    }
}
