using Azure.ResourceManager.Compute.Models;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Tests.Activities.Docker;

/// <summary>The result of the in-VM check is read from the extension's instance view, never from a connection.</summary>
public sealed class VerifyDockerEndpointTests
{
    private static readonly VerifyDockerEndpointInput Input = new("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/extensions/docker", "vm.westeurope.cloudapp.azure.com", 2376);

    /// <summary>Linux CustomScript 2.x status message: "Enable succeeded: \n[stdout]\n{tail}\n[stderr]\n{tail}" (custom-script-extension-linux main/cmds.go enable()).</summary>
    private static VirtualMachineExtensionInstanceView View(string state, string stdout, string stderr = "")
    {
        var view = new VirtualMachineExtensionInstanceView();
        view.Statuses.Add(new InstanceViewStatus
        {
            Code = $"ProvisioningState/{state.ToLowerInvariant()}",
            Message = $"Enable {(state == "Succeeded" ? "succeeded" : "failed")}: \n[stdout]\n{stdout}\n[stderr]\n{stderr}",
        });
        return view;
    }

    [Fact]
    public void Interpret_SuccessLineInStdoutTail_ReturnsVersions()
    {
        var view = View("Succeeded", "Setting up docker.io ...\nDOCKERVM-VERIFY {\"ping\":\"OK\",\"apiVersion\":\"1.43\",\"serverVersion\":\"24.0.7\",\"clientCertRequired\":true}");

        var result = VerifyDockerEndpoint.Interpret(view, Input);

        Assert.Equal(new VerifyDockerEndpointOutput("24.0.7", "1.43"), result);
    }

    [Fact]
    public void Interpret_StdOutSubstatus_IsReadToo()
    {
        var view = new VirtualMachineExtensionInstanceView();
        view.Substatuses.Add(new InstanceViewStatus { Code = "ComponentStatus/StdOut/succeeded", Message = "DOCKERVM-VERIFY {\"ping\":\"OK\",\"apiVersion\":\"1.47\",\"serverVersion\":\"27.5.1\",\"clientCertRequired\":true}" });

        Assert.Equal("1.47", VerifyDockerEndpoint.Interpret(view, Input).ApiVersion);
    }

    [Fact]
    public void Interpret_CheckReportsNoClientCertRequirement_FailsWithItsCode()
    {
        var view = View("Failed", "DOCKERVM-VERIFY {\"ping\":\"OK\",\"clientCertRequired\":false,\"error\":\"DockerClientCertificateNotRequired\",\"message\":\"the daemon answered a client without a certificate\"}", "dockervm verify failed");

        var error = Assert.Throws<PermanentProvisioningException>(() => VerifyDockerEndpoint.Interpret(view, Input));

        Assert.Equal("DockerClientCertificateNotRequired", error.ErrorCode);
        Assert.Contains("without a certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpret_NoVerifyLine_FailsAsMissing()
    {
        var error = Assert.Throws<PermanentProvisioningException>(() => VerifyDockerEndpoint.Interpret(View("Succeeded", "docker.service started"), Input));

        Assert.Equal("DockerVerificationMissing", error.ErrorCode);
    }

    [Fact]
    public void Section_HoldsTheClientPairOnlyInItsTempDirectory_AndPrintsTheLineLast()
    {
        var section = DockerVerifyScript.Section("vm.westeurope.cloudapp.azure.com", 2376, "CA-PEM", "CLIENT-CERT", "CLIENT-KEY");

        Assert.Contains("--resolve \"$DOCKERVM_VERIFY_FQDN:$DOCKERVM_VERIFY_PORT:127.0.0.1\"", section, StringComparison.Ordinal);
        Assert.Contains("cat > \"$dockervm_verify_dir/key.pem\" <<'PEM'\nCLIENT-KEY\nPEM\n", section, StringComparison.Ordinal);
        Assert.Contains("trap 'rm -rf \"$dockervm_verify_dir\"' EXIT", section, StringComparison.Ordinal);
        Assert.StartsWith("printf 'DOCKERVM-VERIFY {\"ping\":\"OK\"", section.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);

        // The section must not look like a dockerd flag to anything reading the script.
        Assert.DoesNotContain("--tlsverify", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Section_HostNameThatCouldBreakTheQuoting_IsRefused()
    {
        Assert.Throws<PermanentProvisioningException>(() => DockerVerifyScript.Section("vm';reboot;'", 2376, "a", "b", "c"));
    }
}
