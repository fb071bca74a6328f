using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace DockerVm.Provisioning.Tests.Certificates;

public sealed class DockerTlsCertificateAuthorityTests
{
    private const string Fqdn = "dockerhost1.westeurope.cloudapp.azure.com";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private static readonly IPAddress PublicIp = IPAddress.Parse("20.61.1.2");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 30, TimeSpan.Zero);

    private static DockerTlsCertificateSet Issue(
        CertificateKeyAlgorithm algorithm = CertificateKeyAlgorithm.EcdsaP256, bool loopback = false, int days = 365, TimeProvider? time = null)
    {
        var authority = new DockerTlsCertificateAuthority(time ?? TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);
        return authority.Issue(new DockerTlsIssueRequest(
            "dockerhost1",
            loopback ? [Fqdn, "localhost"] : [Fqdn],
            loopback ? [PublicIp, IPAddress.Loopback] : [PublicIp],
            algorithm,
            days));
    }

    private static X509Certificate2 Cert(string pem) => X509Certificate2.CreateFromPem(pem);

    private static bool Chains(X509Certificate2 leaf, X509Certificate2 root, string usageOid)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usageOid));
        return chain.Build(leaf);
    }

    [Fact]
    public void Issue_Default_ServerAndClientChainToThePerVmCaOnly()
    {
        var set = Issue();
        var other = Issue();
        using var ca = Cert(set.CaCertificatePem);
        using var otherCa = Cert(other.CaCertificatePem);
        using var server = Cert(set.ServerCertificatePem);
        using var client = Cert(set.ClientCertificatePem);

        Assert.True(Chains(server, ca, ServerAuth));
        Assert.True(Chains(client, ca, ClientAuth));
        Assert.False(Chains(server, otherCa, ServerAuth));
        Assert.False(Chains(client, otherCa, ClientAuth));
    }

    [Fact]
    public void Issue_Default_EkusSeparateServerFromClient()
    {
        var set = Issue();
        using var ca = Cert(set.CaCertificatePem);
        using var server = Cert(set.ServerCertificatePem);
        using var client = Cert(set.ClientCertificatePem);

        Assert.Equal([ServerAuth], Ekus(server));
        Assert.Equal([ClientAuth], Ekus(client));
        Assert.False(Chains(server, ca, ClientAuth));
        Assert.False(Chains(client, ca, ServerAuth));
    }

    [Fact]
    public void Issue_Default_ServerSanIsFqdnAndPublicIpOnly()
    {
        using var server = Cert(Issue().ServerCertificatePem);
        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal([Fqdn], san.EnumerateDnsNames());
        Assert.Equal([PublicIp], san.EnumerateIPAddresses());
        Assert.True(server.MatchesHostname(Fqdn));
        Assert.False(server.MatchesHostname("localhost"));
    }

    [Fact]
    public void Issue_LoopbackRequested_ServerSanAddsLocalhostAnd127001()
    {
        using var server = Cert(Issue(loopback: true).ServerCertificatePem);
        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal([Fqdn, "localhost"], san.EnumerateDnsNames());
        Assert.Equal([PublicIp, IPAddress.Loopback], san.EnumerateIPAddresses());
    }

    /// <summary>Audit finding (D): with a loopback public IP and loopback requested, 127.0.0.1 was listed twice.</summary>
    [Fact]
    public void Issue_LoopbackPublicIpAndLoopbackRequested_EachSanListedOnce()
    {
        var authority = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);
        var set = authority.Issue(new DockerTlsIssueRequest(
            "dockerhost1", ["dockerhost1.local", "localhost", "LOCALHOST"], [IPAddress.Loopback, IPAddress.Parse("127.0.0.1")], CertificateKeyAlgorithm.EcdsaP256, 30));
        using var server = Cert(set.ServerCertificatePem);
        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal(["dockerhost1.local", "localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
    }

    [Fact]
    public void Issue_Default_CaIsConstrainedAndLeavesReferenceIt()
    {
        var set = Issue();
        using var ca = Cert(set.CaCertificatePem);
        using var server = Cert(set.ServerCertificatePem);
        using var client = Cert(set.ClientCertificatePem);

        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(constraints.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        var ski = ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier;
        foreach (var leaf in new[] { server, client })
        {
            Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.Equal(ski, Convert.ToHexString(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.Span));
            Assert.Equal(ca.SubjectName.Name, leaf.IssuerName.Name);
        }

        Assert.Equal(X509KeyUsageFlags.DigitalSignature, server.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(256, server.GetECDsaPublicKey()!.KeySize);
    }

    [Fact]
    public void Issue_FixedClock_ValidityBackdatedFiveMinutesAndLastsRequestedDays()
    {
        var set = Issue(days: 30, time: new FixedTimeProvider(Now));

        foreach (var pem in new[] { set.CaCertificatePem, set.ServerCertificatePem, set.ClientCertificatePem })
        {
            using var cert = Cert(pem);
            Assert.Equal(new DateTimeOffset(2026, 11, 27, 11, 55, 30, TimeSpan.Zero), new DateTimeOffset(cert.NotBefore.ToUniversalTime()));
            Assert.Equal(new DateTimeOffset(2026, 12, 27, 12, 0, 30, TimeSpan.Zero), new DateTimeOffset(cert.NotAfter.ToUniversalTime()));
        }

        Assert.Equal(Now.AddDays(30), set.NotAfter);
        Assert.Equal(Now.AddMinutes(-5), set.NotBefore);
    }

    [Fact]
    public void Issue_TwoSets_SerialsRandomPositiveAndDistinct()
    {
        var serials = new[] { Issue(), Issue() }
            .SelectMany(s => new[] { s.CaCertificatePem, s.ServerCertificatePem, s.ClientCertificatePem })
            .Select(pem => { using var c = Cert(pem); return c.SerialNumberBytes.ToArray(); })
            .ToList();

        Assert.Equal(6, serials.Select(Convert.ToHexString).Distinct().Count());
        Assert.All(serials, s => Assert.True(s.Length == 16 && s[0] is >= 0x40 and < 0x80, "positive 16-byte serial"));
    }

    [Fact]
    public void Issue_Default_PemIsWhatDockerReads()
    {
        var set = Issue();

        foreach (var pem in new[] { set.CaCertificatePem, set.ServerCertificatePem, set.ClientCertificatePem })
        {
            Assert.StartsWith("-----BEGIN CERTIFICATE-----\n", pem, StringComparison.Ordinal);
            Assert.EndsWith("-----END CERTIFICATE-----\n", pem, StringComparison.Ordinal);
            Assert.Equal(1, pem.Split("-----BEGIN").Length - 1);
        }

        foreach (var key in new[] { set.ServerKeyPem, set.ClientKeyPem })
        {
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", key, StringComparison.Ordinal);
            Assert.EndsWith("-----END PRIVATE KEY-----\n", key, StringComparison.Ordinal);
        }

        using var pair = X509Certificate2.CreateFromPem(set.ServerCertificatePem, set.ServerKeyPem);
        Assert.True(pair.HasPrivateKey);
        Assert.DoesNotContain("PRIVATE KEY", set.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CertificateKeyAlgorithm.Rsa2048, 2048)]
    [InlineData(CertificateKeyAlgorithm.Rsa3072, 3072)]
    [InlineData(CertificateKeyAlgorithm.Rsa4096, 4096)]
    public void Issue_Rsa_KeySizeAndServerKeyEncipherment(CertificateKeyAlgorithm algorithm, int bits)
    {
        var set = Issue(algorithm);
        using var ca = Cert(set.CaCertificatePem);
        using var server = Cert(set.ServerCertificatePem);
        using var client = Cert(set.ClientCertificatePem);
        using var serverKey = RSA.Create();
        serverKey.ImportFromPem(set.ServerKeyPem);

        Assert.Equal(bits, server.GetRSAPublicKey()!.KeySize);
        Assert.Equal(bits, ca.GetRSAPublicKey()!.KeySize);
        Assert.Equal(bits, serverKey.KeySize);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, server.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, client.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.True(Chains(server, ca, ServerAuth));
        Assert.True(Chains(client, ca, ClientAuth));
    }

    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData(CertificateKeyAlgorithm.Rsa2048)]
    public async Task Handshake_IssuedServerAndClient_MutualTlsSucceeds(CertificateKeyAlgorithm algorithm)
    {
        var set = Issue(algorithm);

        var (serverError, clientError) = await HandshakeAsync(set, set.ClientCertificatePem, set.ClientKeyPem, set.CaCertificatePem);

        Assert.Null(serverError);
        Assert.Null(clientError);
    }

    [Fact]
    public async Task Handshake_ClientCertFromForeignCa_ServerRejects()
    {
        var set = Issue();
        var foreign = Issue();

        var (serverError, _) = await HandshakeAsync(set, foreign.ClientCertificatePem, foreign.ClientKeyPem, set.CaCertificatePem);

        Assert.IsType<AuthenticationException>(serverError);
    }

    [Fact]
    public async Task Handshake_ServerCertNotFromTrustedCa_ClientRejects()
    {
        var set = Issue();
        var foreign = Issue();

        var (_, clientError) = await HandshakeAsync(set, set.ClientCertificatePem, set.ClientKeyPem, foreign.CaCertificatePem);

        Assert.IsType<AuthenticationException>(clientError);
    }

    [Fact]
    public void Issue_Logs_OnlyPublicFactsUnderStableEventId()
    {
        var logger = new FakeLogger<DockerTlsCertificateAuthority>();
        var set = new DockerTlsCertificateAuthority(TimeProvider.System, logger).Issue(
            new DockerTlsIssueRequest("dockerhost1", [Fqdn], [PublicIp], CertificateKeyAlgorithm.EcdsaP256, 30));

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(1100, record.Id.Id);
        Assert.Contains("dockerhost1", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(set.ClientKeyPem.Split('\n')[1], record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_NoServerNames_Throws()
    {
        var authority = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);

        Assert.Throws<ArgumentException>(() => authority.Issue(new DockerTlsIssueRequest("vm", [], [], CertificateKeyAlgorithm.EcdsaP256, 30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => authority.Issue(new DockerTlsIssueRequest("vm", [Fqdn], [], CertificateKeyAlgorithm.EcdsaP256, 0)));
    }

    /// <summary>dockerd's side (server trusts only the per-VM CA for clients) and the Docker CLI's side (client trusts <paramref name="clientTrustedCaPem"/> for the daemon at the FQDN).</summary>
    private static async Task<(Exception? Server, Exception? Client)> HandshakeAsync(
        DockerTlsCertificateSet set, string clientCertPem, string clientKeyPem, string clientTrustedCaPem)
    {
        using var ca = Cert(set.CaCertificatePem);
        using var clientTrustedCa = Cert(clientTrustedCaPem);
        using var serverCert = X509Certificate2.CreateFromPem(set.ServerCertificatePem, set.ServerKeyPem);
        using var clientCert = X509Certificate2.CreateFromPem(clientCertPem, clientKeyPem);

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var tcpClient = new TcpClient();
        await tcpClient.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();

        using var serverStream = new SslStream(accepted.GetStream());
        using var clientStream = new SslStream(tcpClient.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var serverTask = serverStream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCert,
            ClientCertificateRequired = true,
            CertificateChainPolicy = Policy(ca, ClientAuth),
            RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
        }, timeout.Token);
        var clientTask = clientStream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = Fqdn,
            ClientCertificates = [clientCert],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCert,
            CertificateChainPolicy = Policy(clientTrustedCa, ServerAuth),
            RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
        }, timeout.Token);

        var serverError = await Capture(serverTask);
        var clientError = await Capture(clientTask);
        if (serverError is null && clientError is null)
        {
            // Prove the channel carries data both ways: with TLS 1.3 the client may finish before the server has judged its certificate.
            await clientStream.WriteAsync("ping"u8.ToArray(), timeout.Token);
            var buffer = new byte[4];
            await serverStream.ReadExactlyAsync(buffer, timeout.Token);
            Assert.Equal("ping"u8.ToArray(), buffer);
            Assert.NotNull(serverStream.RemoteCertificate);
        }

        return (serverError, clientError);
    }

    private static X509ChainPolicy Policy(X509Certificate2 root, string usageOid)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(root);
        policy.ApplicationPolicy.Add(new Oid(usageOid));
        return policy;
    }

    private static async Task<Exception?> Capture(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return ex;
        }
    }

    private static string[] Ekus(X509Certificate2 cert) =>
        [.. cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!)];

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
