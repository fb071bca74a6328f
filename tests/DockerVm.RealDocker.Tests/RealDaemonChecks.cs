using System.Net;
using System.Security.Cryptography.X509Certificates;
using Azure.ResourceManager.Compute.Models;
using DockerVm.Emulator.Compute;
using DockerVm.Emulator.Guest;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.RealDocker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DockerVm.RealDocker.Tests;

/// <summary>
/// What a caller of the provisioned host relies on, checked against the real dockerd an installer configured (issue 12):
/// mutual TLS with the client set from Key Vault and nothing else, the hardened daemon defaults in effect, only the
/// Docker port open, the private keys owner-only, and the in-VM check's line read the way the workflow reads it.
/// </summary>
public abstract class RealDaemonChecks<TFixture>(TFixture fixture, ITestOutputHelper output)
    where TFixture : InstallerFixture
{
    /// <summary>dockerd --tlsverify aborts the handshake with this TLS alert; Go's client reports it so (measured, DESIGN.md).</summary>
    private const string BadCertificate = "remote error: tls: bad certificate";

    /// <summary>Measured here too, about one run in twenty: with TLS 1.3 the client may already be writing its request
    /// when the alert and the close arrive, and reports the reset instead.</summary>
    private const string Reset = "connection reset by peer";

    [SkippableFact]
    public async Task DockerCli_WithTheClientSetFromKeyVault_RunsVersionInfoAndAContainer()
    {
        fixture.EnsureReady();
        output.WriteLine($"{typeof(TFixture).Name} setup: {fixture.Timings}");

        var version = await Docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}");
        var name = await Docker("info", "--format", "{{.Name}}");
        var echo = await Docker("run", "--rm", BusyboxImage.Name, "/bin/busybox", "echo", "hello from a docker-imported busybox");

        output.WriteLine($"server {version}");
        Assert.Matches(@"^\S+ 1\.\d+$", version);
        Assert.Equal(fixture.Sandbox.HostName, name);
        Assert.Equal("hello from a docker-imported busybox", echo);
    }

    [SkippableFact]
    public async Task DockerCli_WithoutClientCertificate_IsRefusedWithBadCertificate()
    {
        fixture.EnsureReady();

        await AssertRefusedAsync(client: null);
    }

    [SkippableFact]
    public async Task DockerCli_ClientCertificateOfAForeignCa_IsRefusedWithBadCertificate()
    {
        fixture.EnsureReady();

        await AssertRefusedAsync(fixture.ForeignClient);
    }

    [SkippableFact]
    public async Task DockerCli_ServerCertificateUsedAsClient_IsRefusedWithBadCertificate()
    {
        fixture.EnsureReady();

        await AssertRefusedAsync(fixture.ServerAsClient);
    }

    [SkippableFact]
    public async Task DockerInfo_HardenedDefaults_ShowUserNamespaceRemapAndLiveRestore()
    {
        fixture.EnsureReady();

        var security = await Docker("info", "--format", "{{json .SecurityOptions}}");
        var liveRestore = await Docker("info", "--format", "{{.LiveRestoreEnabled}}");
        var uidMap = await Docker("run", "--rm", BusyboxImage.Name, "/bin/busybox", "cat", "/proc/self/uid_map");
        var subordinate = (await fixture.Sandbox.RunAsync("grep '^dockremap:' /etc/subuid")).Stdout.Trim().Split(':');

        output.WriteLine($"uid_map: {uidMap}; /etc/subuid: {string.Join(':', subordinate)}");
        Assert.Contains("\"name=userns\"", security, StringComparison.Ordinal);
        Assert.Equal("true", liveRestore);
        // --userns-remap=default: container root is the first id of the range dockerd gave its user dockremap in
        // /etc/subuid (after the admin user's range: useradd allocated that one first), never the host's root.
        Assert.Equal(3, subordinate.Length);
        Assert.Matches($@"^0\s+{subordinate[1]}\s+{subordinate[2]}$", uidMap);
        Assert.NotEqual("0", subordinate[1]);
    }

    [SkippableFact]
    public async Task Container_NoNewPrivilegesDefault_ReportsNoNewPrivs1()
    {
        fixture.EnsureReady();

        var status = await Docker("run", "--rm", BusyboxImage.Name, "/bin/busybox", "grep", "NoNewPrivs", "/proc/self/status");

        Assert.Matches(@"^NoNewPrivs:\s+1$", status);
    }

    [SkippableFact]
    public async Task Containers_IccFalse_SecondCannotReachTheFirst()
    {
        fixture.EnsureReady();
        var name = "icc-first-" + Guid.NewGuid().ToString("N")[..8];
        await Docker("run", "-d", "--name", name, BusyboxImage.Name, "/bin/busybox", "sh", "-c",
            "mkdir -p /www && echo reachable > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www");
        try
        {
            var ip = await Docker("inspect", "--format", "{{.NetworkSettings.IPAddress}}", name);

            // The daemon's own network namespace reaches the first container (icc=false only drops bridge-to-bridge
            // traffic), so it does serve; from a second container the same request gets nowhere.
            var fromHost = await fixture.Sandbox.RunAsync(
                $"for i in $(seq 1 50); do curl -s -m 2 http://{ip}:8080/ && exit 0; sleep 0.2; done; exit 1");
            var fromContainer = await fixture.Docker.RunAsync(fixture.Client, fixture.Client, "run", "--rm", BusyboxImage.Name, "/bin/busybox", "nc", "-w", "3", ip, "8080");

            Assert.Equal("reachable", fromHost.Stdout.Trim());
            Assert.NotEqual(0, fromContainer.ExitCode);
            Assert.DoesNotContain("reachable", fromContainer.Stdout, StringComparison.Ordinal);
            output.WriteLine($"second container: exit {fromContainer.ExitCode}, {fromContainer.Stderr.Trim()}");
        }
        finally
        {
            await fixture.Docker.RunAsync(fixture.Client, fixture.Client, "rm", "-f", name);
        }
    }

    [SkippableFact]
    public async Task Guest_AfterInstall_ListensOnlyOnTheDockerPort()
    {
        fixture.EnsureReady();

        var sockets = await fixture.Sandbox.RunAsync("ss -H -l -t -n");
        var listeners = sockets.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])
            .Select(local => (Address: local[..local.LastIndexOf(':')], Port: int.Parse(local[(local.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        var reachable = listeners.Where(l => !l.Address.StartsWith("127.", StringComparison.Ordinal) && l.Address != "[::1]").Select(l => l.Port).Distinct().ToList();

        output.WriteLine($"listening: {string.Join(", ", listeners.Select(l => $"{l.Address}:{l.Port}"))}");
        // A VM adds sshd on 22, which the NSG's other rule admits; the sandbox runs no sshd.
        Assert.Equal([InstallerFixture.DockerPort], reachable);
    }

    [SkippableFact]
    public async Task PrivateKeyFiles_OnTheGuest_AreOwnerOnlyAndTheCheckLeavesNoKeyBehind()
    {
        fixture.EnsureReady();

        var modes = await fixture.Sandbox.RunAsync("stat -c '%a %U %n' /etc/docker/key.pem /etc/docker/ca.pem /etc/docker/cert.pem");
        var leftovers = await fixture.Sandbox.RunAsync("find /tmp /var/tmp -name '*.pem' -o -name 'tmp.*'");

        output.WriteLine(modes.Stdout.Trim());
        Assert.True(modes.Succeeded, modes.Describe());
        Assert.Contains("600 root /etc/docker/key.pem", modes.Stdout, StringComparison.Ordinal);
        Assert.Equal("", leftovers.Stdout.Trim());
    }

    [SkippableFact]
    public async Task InVmCheck_RunByBashInTheGuest_IsAcceptedByVerifyDockerEndpoint()
    {
        fixture.EnsureReady();
        var run = fixture.VerifyRun;
        var view = new VirtualMachineExtensionInstanceView();
        view.Statuses.Add(new InstanceViewStatus
        {
            Code = "ProvisioningState/succeeded",
            Message = CustomScriptHandler.Succeeded(GuestCommandResult.Tail(run.Stdout, 4096), GuestCommandResult.Tail(run.Stderr, 4096)),
        });

        var verified = VerifyDockerEndpoint.Interpret(view, fixture.VerifyInput);
        var version = await Docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}");

        output.WriteLine(run.Stdout.Trim());
        Assert.Equal(version, $"{verified.DockerVersion} {verified.ApiVersion}");
    }

    [SkippableFact]
    public async Task DockerTlsClient_WithTheClientSet_PingsAndRefusesWithoutIt()
    {
        fixture.EnsureReady();
        var (caPem, certPem, keyPem) = fixture.ClientPem;
        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);
        using var client = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        var endpoint = new IPEndPoint(fixture.Address, InstallerFixture.DockerPort);

        using var mtls = DockerTlsClient.Create(endpoint, fixture.Fqdn, ca, client, TimeSpan.FromSeconds(10));
        using var anonymous = DockerTlsClient.Create(endpoint, fixture.Fqdn, ca, null, TimeSpan.FromSeconds(10));
        var ping = await mtls.GetStringAsync("_ping");
        var version = await mtls.GetStringAsync("version");
        var refused = await Record.ExceptionAsync(() => anonymous.GetStringAsync("_ping"));

        Assert.Equal("OK", ping);
        Assert.Contains("\"ApiVersion\"", version, StringComparison.Ordinal);
        Assert.True(refused is HttpRequestException or IOException, $"expected a refused handshake, got {refused?.GetType().Name ?? "an answer"}");
    }

    /// <summary>Wire details a client can notice, as dockerd 20.10 answers them (the emulated daemon's reference, issue 12 item 3).</summary>
    [SkippableFact]
    public async Task Ping_RealDaemon_NoCacheHeadersOnPingOnlyAndHeadHasContentLength0()
    {
        fixture.EnsureReady();
        using var mtls = TlsClient(out var ca, out var client);
        using (ca)
        using (client)
        {
            using var ping = await mtls.GetAsync("_ping");
            using var head = await mtls.SendAsync(new HttpRequestMessage(HttpMethod.Head, "_ping"));
            using var version = await mtls.GetAsync("version");

            output.WriteLine(string.Join("\n", ping.Headers.Concat(ping.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")));
            Assert.Equal("no-cache", Assert.Single(ping.Headers.Pragma).Name);
            Assert.True(ping.Headers.CacheControl is { NoCache: true, NoStore: true, MustRevalidate: true }, $"Cache-Control: {ping.Headers.CacheControl}");
            Assert.Equal(0, head.Content.Headers.ContentLength);
            Assert.Null(version.Headers.CacheControl);
            Assert.Empty(version.Headers.Pragma);
        }
    }

    [SkippableFact]
    public async Task PlainHttp_ToTheTlsPort_GetsGosHttpsServerAnswer()
    {
        fixture.EnsureReady();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(fixture.Address, InstallerFixture.DockerPort));
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET /_ping HTTP/1.1\r\nHost: {fixture.Fqdn}\r\n\r\n"));
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        var text = System.Text.Encoding.ASCII.GetString(answer.ToArray());
        output.WriteLine(text);
        Assert.Equal("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n", text);
    }

    [SkippableFact]
    public async Task CertificateRequest_RealDaemon_NamesThePerVmCaAsTheAcceptableIssuer()
    {
        fixture.EnsureReady();
        using var ca = X509Certificate2.CreateFromPem(fixture.ClientPem.Ca);
        string[]? acceptable = null;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fixture.Address, InstallerFixture.DockerPort);
        using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, server, _, errors) => IssuedBy(server, errors, ca), (_, _, _, _, issuers) =>
        {
            acceptable = issuers;
            return null!;
        });

        var handshake = await Record.ExceptionAsync(() => tls.AuthenticateAsClientAsync(fixture.Fqdn));

        output.WriteLine($"acceptable issuers: {string.Join(" | ", acceptable ?? [])}; handshake: {handshake?.GetType().Name ?? "completed"}");
        Assert.NotNull(acceptable);
        Assert.Equal([ca.SubjectName.Name], acceptable);
    }

    /// <summary>The daemon's certificate names the FQDN and chains to the per-VM CA, as DockerTlsClient requires.</summary>
    private static bool IssuedBy(X509Certificate? server, System.Net.Security.SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (server is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(server);
        return chain.Build(presented);
    }

    private HttpClient TlsClient(out X509Certificate2 ca, out X509Certificate2 client)
    {
        var (caPem, certPem, keyPem) = fixture.ClientPem;
        ca = X509Certificate2.CreateFromPem(caPem);
        using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);
        client = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        return DockerTlsClient.Create(new IPEndPoint(fixture.Address, InstallerFixture.DockerPort), fixture.Fqdn, ca, client, TimeSpan.FromSeconds(10));
    }

    private async Task<string> Docker(params string[] arguments)
    {
        var result = await fixture.Docker.RunAsync(fixture.Client, fixture.Client, arguments);
        Assert.True(result.Succeeded, $"docker {string.Join(' ', arguments)}: {result.Describe()}");
        return result.Stdout.Trim();
    }

    /// <summary>Every attempt is refused before the daemon answers, and the alert itself is seen (a reset alone could be anything).</summary>
    private async Task AssertRefusedAsync(CertificateFiles? client)
    {
        var alerts = 0;
        for (var attempt = 0; attempt < 3 && alerts == 0; attempt++)
        {
            var result = await fixture.Docker.RunAsync(fixture.Client, client, "version", "--format", "{{.Server.Version}}");
            output.WriteLine(result.Stderr.Trim());
            Assert.NotEqual(0, result.ExitCode);
            Assert.Equal("", result.Stdout.Trim());
            Assert.True(
                result.Stderr.Contains(BadCertificate, StringComparison.Ordinal) || result.Stderr.Contains(Reset, StringComparison.Ordinal),
                $"expected '{BadCertificate}' (or, racing, '{Reset}'), got: {result.Stderr.Trim()}");
            alerts += result.Stderr.Contains(BadCertificate, StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.Equal(1, alerts);
    }
}
