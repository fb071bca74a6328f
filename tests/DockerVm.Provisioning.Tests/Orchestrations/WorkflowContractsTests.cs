using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Tests.Orchestrations;

public sealed class WorkflowContractsTests
{
    [Fact]
    public void ReadErrorCode_FromActivityFailure_ReturnsArmCodeAndMessage()
    {
        var failure = TaskFailureDetails.FromException(new PermanentProvisioningException("SkuNotAvailable", "Standard_B2s is not available in westeurope."));

        Assert.True(failure.IsCausedBy<ProvisioningException>());
        Assert.Equal("SkuNotAvailable", ProvisioningException.ReadErrorCode(failure));
        Assert.Equal("Standard_B2s is not available in westeurope.", ProvisioningException.ReadMessage(failure));
    }

    [Fact]
    public void ReadErrorCode_ForeignException_ReturnsNull()
    {
        Assert.Null(ProvisioningException.ReadErrorCode(TaskFailureDetails.FromException(new InvalidOperationException("[Fake] nope"))));
    }

    [Fact]
    public void ResourceNames_SameVmInTwoGroups_GetDistinctSecretNames()
    {
        var a = new DockerVmResourceNames("rg-one", "dockerhost1");
        var b = new DockerVmResourceNames("rg-two", "dockerhost1");

        Assert.Empty(a.AllSecrets.Intersect(b.AllSecrets));
        Assert.All(a.AllSecrets, n => Assert.Matches("^dockerhost1-[0-9a-f]{8}-docker-[a-z-]+$", n));
        Assert.Equal(a.AllSecrets, new DockerVmResourceNames("RG-ONE", "dockerhost1").AllSecrets);
    }

    [Fact]
    public void ResourceNames_AllResourceIds_AreInCreationOrder()
    {
        var ids = new DockerVmResourceNames("rg", "vm1").AllResourceIds("3fa85f64-5717-4562-b3fc-2c963f66afa6");

        Assert.Equal("/subscriptions/3fa85f64-5717-4562-b3fc-2c963f66afa6/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/vm1-nsg", ids[0]);
        Assert.EndsWith("/providers/Microsoft.Compute/virtualMachines/vm1", ids[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void SecretIdentifiers_Names_AreTheSecretNamesWithoutVersion()
    {
        var ids = new DockerSecretIdentifiers(
            new Uri("https://v.vault.azure.net/secrets/a-ca/1"), new Uri("https://v.vault.azure.net/secrets/a-sc/2"),
            new Uri("https://v.vault.azure.net/secrets/a-sk/3"), new Uri("https://v.vault.azure.net/secrets/a-cc/4"),
            new Uri("https://v.vault.azure.net/secrets/a-ck/5"));

        Assert.Equal(["a-ca", "a-sc", "a-sk", "a-cc", "a-ck"], ids.Names);
    }
}
