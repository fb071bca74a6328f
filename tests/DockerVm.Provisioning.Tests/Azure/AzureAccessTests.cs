using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Tests.Azure;

public sealed class AzureAccessTests
{
    [Theory]
    [InlineData("AzureCloud", "https://management.azure.com/")]
    [InlineData("AzureChinaCloud", "https://management.chinacloudapi.cn/")]
    [InlineData("AzureUSGovernment", "https://management.usgovcloudapi.net/")]
    public void GetArmEnvironment_KnownCloud_UsesItsEndpoint(string cloud, string endpoint)
    {
        var environment = AzureClouds.GetArmEnvironment(new AzureOptions { Cloud = cloud });

        Assert.Equal(new Uri(endpoint), environment.Endpoint);
    }

    [Fact]
    public void GetArmEnvironment_EndpointOverride_UsesAudienceWithoutTrailingSlash()
    {
        var environment = AzureClouds.GetArmEnvironment(new AzureOptions
        {
            ResourceManagerEndpoint = new Uri("https://127.0.0.1:8443/"),
            ResourceManagerAudience = "https://management.azure.com/",
        });

        Assert.Equal(new Uri("https://127.0.0.1:8443/"), environment.Endpoint);
        Assert.Equal("https://management.azure.com", environment.Audience);
    }

    [Fact]
    public void GetAuthorityHost_China_IsChinaAuthority()
    {
        Assert.Equal(global::Azure.Identity.AzureAuthorityHosts.AzureChina, AzureClouds.GetAuthorityHost(new AzureOptions { Cloud = "AzureChinaCloud" }));
    }

    [Theory]
    [InlineData("https://myvault.vault.azure.net/", false)]
    [InlineData("https://myvault.vault.azure.cn/", false)]
    [InlineData("https://127.0.0.1:8443/", true)]
    [InlineData("https://vault.azure.net.evil.example/", true)]
    public void ConfigureSecrets_ChallengeVerification_DisabledOnlyForNonAzureVaults(string vault, bool disabled)
    {
        var options = new SecretClientOptions();

        AzureClientRegistration.ConfigureSecrets(options, new AzureOptions { KeyVaultUri = new Uri(vault) }, transport: null);

        Assert.Equal(disabled, options.DisableChallengeResourceVerification);
    }

    [Theory]
    [InlineData(429, "TooManyRequests", true)]
    [InlineData(503, "ServiceUnavailable", true)]
    [InlineData(500, "InternalServerError", true)]
    [InlineData(0, "", true)]
    [InlineData(409, "AnotherOperationInProgress", true)]
    [InlineData(400, "InvalidParameter", false)]
    [InlineData(403, "AuthorizationFailed", false)]
    [InlineData(409, "QuotaExceeded", false)]
    [InlineData(200, "AllocationFailed", false)]
    [InlineData(500, "SkuNotAvailable", false)]
    public void Translate_ClassifiesTransientAndPermanentKeepingTheCode(int status, string code, bool transient)
    {
        var error = AzureErrors.Translate(new RequestFailedException(status, "Something happened.\nStatus: 400\nContent: {...}", code, null));

        Assert.Equal(transient, error is TransientProvisioningException);
        Assert.Equal(string.IsNullOrEmpty(code) ? "ConnectionFailed" : code, error.ErrorCode);
        Assert.DoesNotContain("Content:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Audit finding 4: the 400 a NIC delete gets for 180 s after its VM was deleted passes by itself
    /// (gardenlinux/gardenlinux#4133, microsoft/AzureTRE#4511): transient, and recognised for cleanup's long wait.</summary>
    [Fact]
    public void Translate_NicReservedForAnotherVm400_TransientAndRecognisedAsReservation()
    {
        var reserved = new RequestFailedException(
            400,
            "Nic(s) in request is reserved for another Virtual Machine for 180 seconds. Please provide another nic(s) or retry after 180 seconds. Reserved VM: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm\nStatus: 400 (Bad Request)\nErrorCode: NicReservedForAnotherVm",
            "NicReservedForAnotherVm",
            null);

        var error = AzureErrors.Translate(reserved);

        Assert.IsType<TransientProvisioningException>(error);
        Assert.Equal("NicReservedForAnotherVm", error.ErrorCode);
        Assert.True(AzureErrors.IsNicReserved(reserved));
        Assert.False(AzureErrors.IsNicReserved(new RequestFailedException(400, "Bad.", "InvalidParameter", null)));
        Assert.False(AzureErrors.IsNicReserved(new RequestFailedException(409, "In use.", "NicInUse", null)));
        Assert.EndsWith("Reserved VM: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", AzureErrors.ServiceMessage(reserved), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(180), AzureErrors.NicReservationPeriod);
    }

    [Fact]
    public void PinnedCertificate_AcceptsExactlyThePinnedCertificate()
    {
        using var pinned = SelfSigned("CN=emulator");
        using var other = SelfSigned("CN=emulator");

        Assert.True(PinnedCertificateHandler.IsPinned(pinned, pinned.RawData));
        Assert.False(PinnedCertificateHandler.IsPinned(other, pinned.RawData));
        Assert.False(PinnedCertificateHandler.IsPinned(null, pinned.RawData));
    }

    [Fact]
    public void ConfigureArm_PinsNetworkApiVersionsAndEnvironment()
    {
        var options = new ArmClientOptions();

        AzureClientRegistration.ConfigureArm(options, new AzureOptions { Cloud = "AzureUSGovernment" }, transport: null);

        Assert.Equal(ArmEnvironment.AzureGovernment, options.Environment);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
