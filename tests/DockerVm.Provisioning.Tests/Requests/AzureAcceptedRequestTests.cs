using System.Security.Cryptography;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Requests;

/// <summary>Requests Azure would refuse with a 400 once network and secrets exist are refused at validation instead,
/// and the image is chosen to fit the VM size (issue 11, part B).</summary>
public sealed class AzureAcceptedRequestTests
{
    private static readonly ProvisionDockerVmRequest Valid = new()
    {
        Name = "dockerhost1",
        ResourceGroup = "rg-docker",
        Location = "westeurope",
        VmSize = "Standard_D2s_v5",
        AdminUsername = "azureuser",
        SshPublicKey = TestSshKeys.Ed25519(),
        AllowedSourceCidrs = ["203.0.113.0/24"],
    };

    // Azure: "Other key formats such as ED25519 and ECDSA are not supported" (MicrosoftDocs/azure-docs#112770, since
    // Ed25519 was added); Compute's SshEncryptionTypes are RSA and Ed25519.
    [Theory]
    [InlineData("nistp256")]
    [InlineData("nistp384")]
    [InlineData("nistp521")]
    public void Validate_EcdsaSshKey_RefusedAsUnsupportedTypeAzureDoesNotAccept(string curve)
    {
        var result = CreateValidator().Validate(Valid with { SshPublicKey = TestSshKeys.Ecdsa(curve) });

        var error = Assert.Single(result.Errors);
        Assert.Equal(("sshPublicKey", ValidationRules.SshKeyUnsupportedType), (error.Field, error.Rule));
        Assert.Contains("ssh-ed25519 and ssh-rsa", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Standard_D2ps_v5")]
    [InlineData("Standard_B2pts_v2")]
    [InlineData("Standard_D4plds_v5")]
    [InlineData("Standard_d2PS_v6")]
    public void Validate_Arm64SizeWithoutImage_ChoosesArm64UbuntuSku(string size)
    {
        var result = CreateValidator().Validate(Valid with { VmSize = size });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new VmImageReference("Canonical", "ubuntu-24_04-lts", "server-arm64", "latest"), result.Value.Image);
    }

    [Theory]
    [InlineData("Standard_A2_v2")]
    [InlineData("Standard_D2_v3")]
    [InlineData("Standard_D1_v2")]
    public void Validate_Generation1OnlySizeWithoutImage_ChoosesGen1UbuntuSku(string size)
    {
        var result = CreateValidator().Validate(Valid with { VmSize = size });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("server-gen1", result.Value.Image.Sku);
    }

    [Theory]
    [InlineData("Standard_D2s_v5")]
    [InlineData("Standard_B2s")]
    [InlineData("Standard_DS2_v2")]
    [InlineData("Standard_NC24ads_A100_v4")]
    public void Validate_X64SizeWithoutImage_KeepsDefaultImage(string size)
    {
        var result = CreateValidator().Validate(Valid with { VmSize = size });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(ProvisionRequestValidator.DefaultImage, result.Value.Image);
    }

    [Theory]
    [InlineData("Standard_D2ps_v5", "ubuntu-24_04-lts", "server")]
    [InlineData("Standard_B2pts_v2", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2")]
    [InlineData("Standard_D2s_v5", "ubuntu-24_04-lts", "server-arm64")]
    [InlineData("Standard_A2_v2", "ubuntu-24_04-lts", "server")]
    [InlineData("Standard_D2_v3", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2")]
    [InlineData("Standard_D2s_v6", "ubuntu-24_04-lts", "server-gen1")]
    public void Validate_ImageTheSizeCannotBoot_RefusedBeforeAnythingExists(string size, string offer, string sku)
    {
        var result = CreateValidator().Validate(Valid with { VmSize = size, Image = new VmImageReference("Canonical", offer, sku, "latest") });

        var error = Assert.Single(result.Errors);
        Assert.Equal(("image", ValidationRules.VmSizeImageMismatch), (error.Field, error.Rule));
        Assert.Contains(size, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Standard_D2ps_v5", "0001-com-ubuntu-server-jammy", "22_04-lts-arm64")]
    [InlineData("Standard_D2ps_v5", "debian-12", "12-arm64")]
    [InlineData("Standard_A2_v2", "0001-com-ubuntu-server-jammy", "22_04-lts")]
    [InlineData("Standard_D2s_v6", "ubuntu-24_04-lts", "server")]
    [InlineData("Standard_D2s_v5", "debian-12", "12")]
    public void Validate_ImageTheSizeCanBoot_KeptAsChosen(string size, string offer, string sku)
    {
        var image = new VmImageReference("Canonical", offer, sku, "latest");

        var result = CreateValidator().Validate(Valid with { VmSize = size, Image = image });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(image, result.Value.Image);
    }

    private static ProvisionRequestValidator CreateValidator()
    {
        var options = new CallbackOptions();
        options.SigningKeys[CallbackOptions.DefaultSigningKeyName] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return new ProvisionRequestValidator(Options.Create(options), NullLogger<ProvisionRequestValidator>.Instance);
    }
}
