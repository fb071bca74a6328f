using Azure;
using Azure.ResourceManager.Compute;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Docker;

/// <summary>
/// The emulator runs the product's in-VM check (docs/decisions/0002) for real: mutual TLS from the VM's own address to
/// its daemon, then a connection without a client certificate that must be refused; the result line lands in the
/// instance view's stdout tail like the Linux CustomScript handler reports it (custom-script-extension-linux main/cmds.go).
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class InVmCheckTests(EmulatorFixture fixture)
{
    /// <summary>No service address, and no loopback actor, is inside this range: only local traffic reaches the daemon.</summary>
    private const string NobodyLocal = "198.51.100.0/24";

    /// <summary>The verify section's shape as the product writes it (Activities/Docker/DockerVerifyScript.cs).</summary>
    private static string VerifySection(string fqdn, DockerCertificates certificates, int port = 2376) => $"""

        # --- dockervm: verify the Docker endpoint from inside the VM ---
        DOCKERVM_VERIFY_FQDN='{fqdn}'
        DOCKERVM_VERIFY_PORT={port}
        dockervm_verify_dir=$(mktemp -d)
        (
        umask 077
        cat > "$dockervm_verify_dir/ca.pem" <<'PEM'
        {certificates.CaPem.Trim()}
        PEM
        cat > "$dockervm_verify_dir/cert.pem" <<'PEM'
        {certificates.ClientCertPem.Trim()}
        PEM
        cat > "$dockervm_verify_dir/key.pem" <<'PEM'
        {certificates.ClientKeyPem.Trim()}
        PEM
        )
        curl --resolve "$DOCKERVM_VERIFY_FQDN:$DOCKERVM_VERIFY_PORT:127.0.0.1" "https://$DOCKERVM_VERIFY_FQDN:$DOCKERVM_VERIFY_PORT/_ping"
        """;

    private async Task<(VirtualMachineResource Vm, Scenario.Network Network, DockerCertificates Certificates)> VmAsync(string name)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, $"rg-check-{name}");
        var network = await Scenario.NetworkAsync(arm, group, name, allowedSource: NobodyLocal);
        var certificates = TestPki.Issue(network.PublicIp, network.Fqdn);
        return (await Scenario.VmAsync(group, $"vm-{name}", network.NicId), network, certificates);
    }

    private static async Task<string> StatusMessageAsync(VirtualMachineExtensionResource extension) =>
        (await extension.GetAsync(expand: "instanceView")).Value.Data.InstanceView.Statuses.Single().Message;

    [Fact]
    public async Task CustomScript_InstallThenCheck_ReportsVerifyLineAlthoughTheNsgAdmitsNoCaller()
    {
        var (vm, network, certificates) = await VmAsync("ok");
        var script = Scenario.InstallScript(certificates, 2376) + VerifySection(network.Fqdn, certificates);

        var extension = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.CustomScript(script, gzip: false))).Value;

        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
        var message = await StatusMessageAsync(extension);
        Assert.Contains("DOCKERVM-VERIFY {\"ping\":\"OK\",\"apiVersion\":\"1.47\",\"serverVersion\":\"27.5.1\",\"clientCertRequired\":true}", message, StringComparison.Ordinal);
        using var caller = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate(), System.Net.IPAddress.Loopback);
        await DockerProbe.AssertRefusedAsync(caller);
    }

    [Fact]
    public async Task CustomScript_DaemonWithoutClientCertRequirement_FailsVerification()
    {
        var (vm, network, certificates) = await VmAsync("tlsonly");

        // dockerd --tls (no --tlsverify) serves TLS to any client: the check must catch it.
        var script = Scenario.InstallScript(certificates, 2376).Replace("--tlsverify", "--tls", StringComparison.Ordinal) + VerifySection(network.Fqdn, certificates);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.CustomScript(script, gzip: false)));

        Assert.Equal("VMExtensionProvisioningError", failure.ErrorCode);
        Assert.Contains("\"error\":\"DockerClientCertificateNotRequired\"", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyOnlyCustomScript_NextToDockerExtension_ChecksThatDaemon()
    {
        var (vm, network, certificates) = await VmAsync("pair");
        await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.DockerExtension(certificates));

        var check = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(
            WaitUntil.Completed, "docker-verify", Scenario.CustomScript("#!/bin/bash\nset -euo pipefail" + VerifySection(network.Fqdn, certificates), gzip: false))).Value;

        Assert.Contains("\"clientCertRequired\":true", await StatusMessageAsync(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyOnlyCustomScript_NoDaemonOnTheVm_FailsUnreachable()
    {
        var (vm, network, certificates) = await VmAsync("nodaemon");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(
            WaitUntil.Completed, "docker-verify", Scenario.CustomScript("#!/bin/bash" + VerifySection(network.Fqdn, certificates), gzip: false)));

        Assert.Contains("DockerEndpointUnreachable", failure.Message, StringComparison.Ordinal);
    }
}
