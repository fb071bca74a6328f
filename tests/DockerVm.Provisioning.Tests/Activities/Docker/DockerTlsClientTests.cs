using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Provisioning.Tests.Activities.Docker;

public sealed class DockerTlsClientTests
{
    private static readonly DockerTlsCertificateAuthority Authority = new(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);

    private static DockerTlsCertificateSet Issue(string name) =>
        Authority.Issue(new DockerTlsIssueRequest(name, [$"{name}.westeurope.cloudapp.azure.com"], [IPAddress.Parse("127.0.1.5")], CertificateKeyAlgorithm.EcdsaP256, 7));

    [Fact]
    public void IsTrusted_ServerCertificateFromThePerVmCa_IsTrusted()
    {
        var set = Issue("vm1");
        using var ca = X509Certificate2.CreateFromPem(set.CaCertificatePem);
        using var server = X509Certificate2.CreateFromPem(set.ServerCertificatePem);

        Assert.True(DockerTlsClient.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, ca));
    }

    [Fact]
    public void IsTrusted_ServerCertificateFromAnotherVmsCa_IsRejected()
    {
        var mine = Issue("vm1");
        var foreign = Issue("vm2");
        using var ca = X509Certificate2.CreateFromPem(mine.CaCertificatePem);
        using var server = X509Certificate2.CreateFromPem(foreign.ServerCertificatePem);

        Assert.False(DockerTlsClient.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, ca));
    }

    [Fact]
    public void IsTrusted_NameMismatch_IsRejectedEvenWithTheRightCa()
    {
        var set = Issue("vm1");
        using var ca = X509Certificate2.CreateFromPem(set.CaCertificatePem);
        using var server = X509Certificate2.CreateFromPem(set.ServerCertificatePem);

        Assert.False(DockerTlsClient.IsTrusted(server, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors, ca));
    }
}
