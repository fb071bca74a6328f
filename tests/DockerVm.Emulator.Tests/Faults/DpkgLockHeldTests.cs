using Azure;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Faults;

/// <summary>
/// The DpkgLockHeld guest fault: on a just-booted Ubuntu VM unattended-upgrades holds the dpkg lock and a CustomScript
/// whose apt install does not wait fails like apt (Azure/azure-cli#24486); one that waits succeeds.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class DpkgLockHeldTests(EmulatorFixture fixture) : IDisposable
{
    /// <summary>The workflow's script before the fix (apt without a lock wait).</summary>
    private const string NoWait = "#!/bin/bash\nset -euo pipefail\napt-get update -y\napt-get install -y docker.io\n";

    public void Dispose() => fixture.Emulator.Control.ClearFaults();

    [Fact]
    public async Task CustomScript_AptInstallWithoutLockWait_FailsExit100WithAptsLockError()
    {
        var (vm, network) = await VmAsync("rg-dpkg-nowait");
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/rg-dpkg-nowait/*/extensions/*", Method = "PUT", Kind = FaultKind.DpkgLockHeld });
        var script = NoWait + Scenario.InstallScript(TestPki.Issue(network.PublicIp, network.Fqdn), 2376).Replace("curl -fsSL https://get.docker.com | sh", string.Empty, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "install-docker", Scenario.CustomScript(script, gzip: false)));

        Assert.Equal("VMExtensionProvisioningError", error.ErrorCode);
        Assert.Contains(
            "Error message: 'Enable failed: failed to execute command: command terminated with exit status=100\n[stdout]\nReading package lists...\n\n[stderr]\n"
            + "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1873 (unattended-upgr)\n"
            + "N: Be aware that removing the lock file is not a solution and may break your system.\n"
            + "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n'",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomScript_AptInstallWithLockTimeout_SucceedsAndFaultIsUsedUp()
    {
        var (vm, network) = await VmAsync("rg-dpkg-wait");
        var certificates = TestPki.Issue(network.PublicIp, network.Fqdn);
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/rg-dpkg-wait/*/extensions/*", Method = "PUT", Kind = FaultKind.DpkgLockHeld });
        var script = "#!/bin/bash\nset -euo pipefail\napt-get update -y\napt-get -o DPkg::Lock::Timeout=600 install -y docker.io\n"
            + Scenario.InstallScript(certificates, 2376).Replace("curl -fsSL https://get.docker.com | sh", string.Empty, StringComparison.Ordinal);

        var extension = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "install-docker", Scenario.CustomScript(script, gzip: false))).Value;

        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
        Assert.Empty(fixture.Emulator.Control.Faults);
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate());
        Assert.Equal("OK", await docker.GetStringAsync(new Uri("_ping", UriKind.Relative)));
    }

    [Fact]
    public async Task CustomScript_NoFault_ScriptWithoutLockWaitSucceeds()
    {
        var (vm, network) = await VmAsync("rg-dpkg-none");
        var script = NoWait + Scenario.InstallScript(TestPki.Issue(network.PublicIp, network.Fqdn), 2376);

        var extension = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "install-docker", Scenario.CustomScript(script, gzip: false))).Value;

        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
    }

    [Theory]
    [InlineData("timeout option", "apt-get -o DPkg::Lock::Timeout=600 install -y docker.io")]
    [InlineData("timeout option, attached", "apt-get -oDPkg::Lock::Timeout=-1 install -y docker.io")]
    [InlineData("long option", "apt-get --option=dpkg::lock::timeout=60 -y install docker.io")]
    [InlineData("apt.conf.d drop-in", "echo 'DPkg::Lock::Timeout \"600\";' > /etc/apt/apt.conf.d/90-lock-wait\napt-get install -y docker.io")]
    [InlineData("fuser wait loop", "while fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; do\n  sleep 2\ndone\napt-get install -y docker.io")]
    [InlineData("until retry", "until apt-get install -y docker.io; do sleep 5; done")]
    [InlineData("retry loop", "for i in 1 2 3 4 5; do\n  if apt-get install -y docker.io; then break; fi\n  sleep 10\ndone")]
    [InlineData("no locking apt command", "apt-get update -y\ncurl -fsSL -o /usr/local/bin/dockerd https://example.com/dockerd")]
    public void Run_ScriptWaitsForTheLock_Succeeds(string why, string body)
    {
        var outcome = DpkgLockHeld.Run("#!/bin/bash\nset -euo pipefail\n" + body + "\n");

        Assert.True(outcome is null || outcome.Succeeded, why);
    }

    [Theory]
    [InlineData("plain install", "apt-get update -y\napt-get install -y docker.io")]
    [InlineData("zero timeout", "apt-get -o DPkg::Lock::Timeout=0 install -y docker.io")]
    [InlineData("apt front end", "sudo apt install -y docker.io")]
    [InlineData("get.docker.com", "curl -fsSL https://get.docker.com | sh")]
    [InlineData("cloud-init wait only", "cloud-init status --wait || true\napt-get install -y docker.io")]
    [InlineData("loop without sleep", "for p in docker.io jq; do\n  apt-get install -y \"$p\"\ndone")]
    [InlineData("lock wait only in a comment", "# while fuser /var/lib/dpkg/lock; do sleep 1; done\napt-get install -y docker.io")]
    public void Run_ScriptDoesNotWaitForTheLock_FailsLikeApt(string why, string body)
    {
        var outcome = DpkgLockHeld.Run("#!/bin/bash\nset -euo pipefail\n" + body + "\n");

        Assert.NotNull(outcome);
        Assert.False(outcome.Succeeded, why);
        Assert.Equal(100, outcome.ExitCode);
        Assert.StartsWith("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1873 (unattended-upgr)\n", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithoutSetE_ScriptRunsOnWithoutDocker()
    {
        var outcome = DpkgLockHeld.Run("#!/bin/bash\napt-get install -y docker.io\nsystemctl restart docker\n");

        Assert.NotNull(outcome);
        Assert.Equal(5, outcome.ExitCode);
        Assert.EndsWith("Failed to restart docker.service: Unit docker.service not found.\n", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_HeredocBodyMentioningApt_NotACommand()
    {
        var outcome = DpkgLockHeld.Run("#!/bin/bash\nset -e\ncat > /tmp/notes <<'TXT'\napt-get install -y docker.io\nTXT\n");

        Assert.Null(outcome);
    }

    private async Task<(Azure.ResourceManager.Compute.VirtualMachineResource Vm, Scenario.Network Network)> VmAsync(string groupName)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, groupName);
        var network = await Scenario.NetworkAsync(arm, group, "dpkg");
        return (await Scenario.VmAsync(group, "vm-dpkg", network.NicId), network);
    }
}
