using System.Text.Json;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

/// <summary>The JSON shape of the provisioning request under the contract's options: enum names in either case, camelCase out, no integers, every field.</summary>
public sealed class JsonContractTests
{
    [Theory]
    [InlineData("customScript", DockerInstaller.CustomScript)]
    [InlineData("dockerExtension", DockerInstaller.DockerExtension)]
    [InlineData("DockerExtension", DockerInstaller.DockerExtension)]
    public void Deserialize_InstallerInCamelOrPascalCase_ReadsEnum(string json, DockerInstaller expected)
    {
        var request = JsonSerializer.Deserialize<ProvisionDockerVmRequest>($$"""{"installer":"{{json}}"}""", RequestJson.Options);

        Assert.Equal(expected, request!.Installer);
    }

    [Fact]
    public void Deserialize_PascalCaseInstallerNextToOtherFields_ReadsEnum()
    {
        var request = JsonSerializer.Deserialize<ProvisionDockerVmRequest>(
            """{"name":"vm1","installer":"DockerExtension"}""", RequestJson.Options);
        Assert.Equal(DockerInstaller.DockerExtension, request!.Installer);
    }

    [Fact]
    public void Serialize_Enums_WritesCamelCase()
    {
        var json = JsonSerializer.Serialize(
            new ProvisionDockerVmRequest { Installer = DockerInstaller.CustomScript, Certificates = new CertificateOptions { KeyAlgorithm = CertificateKeyAlgorithm.EcdsaP256 } },
            RequestJson.Options);

        Assert.Contains("\"installer\":\"customScript\"", json, StringComparison.Ordinal);
        Assert.Contains("\"keyAlgorithm\":\"ecdsaP256\"", json, StringComparison.Ordinal);
        Assert.Equal("\"rsa2048\"", JsonSerializer.Serialize(CertificateKeyAlgorithm.Rsa2048));
    }

    [Fact]
    public void Deserialize_IntegerEnum_IsRefused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProvisionDockerVmRequest>("""{"installer":7}""", RequestJson.Options));
    }

    [Fact]
    public void Deserialize_FullRequest_ReadsEveryField()
    {
        const string Json = """
            {
              "name": "dockerhost1", "resourceGroup": "rg", "location": "westeurope", "vmSize": "Standard_B2s",
              "image": { "publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest" },
              "adminUsername": "azureuser", "sshPublicKey": "ssh-ed25519 AAAA",
              "allowedSourceCidrs": ["203.0.113.0/24"], "allowAnySource": false, "dockerPort": 2376,
              "installer": "dockerExtension", "daemonOptions": ["--live-restore"], "tags": { "env": "dev" },
              "callback": { "url": "https://hooks.example.com/x", "signature": "standard-webhooks", "signingKey": "default" },
              "certificates": { "keyAlgorithm": "rsa4096", "includeLoopback": true, "validityDays": 90 },
              "idempotencyKey": "k1"
            }
            """;

        var r = JsonSerializer.Deserialize<ProvisionDockerVmRequest>(Json, RequestJson.Options)!;

        Assert.Equal("Canonical", r.Image!.Publisher);
        Assert.Equal(DockerInstaller.DockerExtension, r.Installer);
        Assert.Equal(CertificateKeyAlgorithm.Rsa4096, r.Certificates!.KeyAlgorithm);
        Assert.Equal(new Uri("https://hooks.example.com/x"), r.Callback!.Url);
        Assert.Equal("dev", r.Tags!["env"]);
        Assert.Equal("k1", r.IdempotencyKey);
    }
}
