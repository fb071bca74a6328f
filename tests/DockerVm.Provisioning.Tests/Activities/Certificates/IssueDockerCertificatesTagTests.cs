using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Provisioning.Tests.Orchestrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Provisioning.Tests.Activities.Certificates;

/// <summary>Secret tags within Key Vault's limits (about-secrets.md, "Secret tags": 15 tags; 256 characters per name and
/// value in the older text, 512 in the current one).</summary>
[Collection(EmulatorTestGroup.Name)]
public sealed class IssueDockerCertificatesTagTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task IssueDockerCertificates_LongestGroupAndVmName_VmTagFitsKeyVaultTagLength()
    {
        var group = new string('g', 90);
        var vm = "h" + new string('x', 62);
        var vmId = $"/subscriptions/{fixture.Emulator.SubscriptionId}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{vm}";
        var secrets = EmulatorClients.Secrets(fixture.Emulator);
        var activity = new IssueDockerCertificates(
            new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance), secrets, NullLogger<IssueDockerCertificates>.Instance);

        var issued = await activity.RunAsync(new TestActivityContext("instance-long"), new IssueDockerCertificatesInput(
            new DockerVmResourceNames(group, vm), vmId, $"{vm}.westeurope.cloudapp.azure.com", "127.0.1.79", CertificateKeyAlgorithm.EcdsaP256, IncludeLoopback: false, ValidityDays: 7));

        var tags = (await secrets.GetSecretAsync(new KeyVaultSecretIdentifier(issued.ServerKey).Name)).Value.Properties.Tags;
        Assert.True(vmId.Length > 256, "the full id is the case that did not fit");
        Assert.Equal($"{fixture.Emulator.SubscriptionId}/{group}/{vm}", tags[WorkflowTags.VmResourceId]);
        Assert.All(tags, t => Assert.True(t.Key.Length <= 256 && t.Value.Length <= 256, $"{t.Key}: {t.Value.Length} characters"));
        Assert.True(tags.Count <= 15);
    }
}
