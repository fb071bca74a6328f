using System.Text.Json;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed class ContractTests
{
    [Fact]
    public void Deserialize_CamelCaseInstaller_ReadsEnum()
    {
        var request = JsonSerializer.Deserialize<ProvisionDockerVmRequest>(
            """{"name":"vm1","installer":"DockerExtension"}""", JsonSerializerOptions.Web);
        Assert.Equal(DockerInstaller.DockerExtension, request!.Installer);
    }
}
