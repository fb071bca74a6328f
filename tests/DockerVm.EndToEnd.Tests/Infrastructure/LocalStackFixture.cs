using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Hosting;
using DockerVm.LocalHost.Demo;
using DockerVm.Testing;

namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One local stack for the whole suite: Azurite, the Azure emulator (in-process, short operation durations), a signed
/// callback receiver and the local host as a child process. Tests tell their VMs apart by name.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    /// <summary>A real OpenSSH public key (public material only).</summary>
    public const string SshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJuf4M9JfqRy5iezvNyplp1KoP0oj4ET5zA0LmWPKuPq e2e";

    public const string ResourceGroup = "rg-e2e";

    private static readonly string[] TerminalStates = ["succeeded", "failed", "deprovisioned", "deprovisionFailed"];

    private readonly List<LocalHostProcess> extraHosts = [];
    private int vmCounter;

    public AzuriteServer Azurite { get; private set; } = null!;

    public AzureEmulator Emulator { get; private set; } = null!;

    public CallbackReceiver Callbacks { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    /// <summary>The shared host and every host a test started (running or not).</summary>
    public IReadOnlyList<LocalHostProcess> Hosts => [Host, .. extraHosts];

    public string SigningSecret { get; } = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Secret that inbound webhooks to the hosts are signed with (<c>Webhooks:SigningSecret</c>).</summary>
    public string WebhookSecret { get; } = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string RequestQueueName { get; } = "e2e-requests-" + Guid.NewGuid().ToString("N")[..8];

    public string TaskHubName { get; } = "e2e" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Folder of this run's host logs (scanned for key material after every test).</summary>
    public string LogDirectory { get; } = Directory.CreateTempSubdirectory("dockervm-e2e-").FullName;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        Emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            Port = 0,
            // Large enough to hold every request of the run, so per-VM counts from the journal are exact.
            RequestLogCapacity = 1_000_000,

            // Azure's 180 s NIC reservation after a VM delete, shortened: every deprovisioning waits it out on timers.
            NicReservation = TimeSpan.FromSeconds(1),
            Durations = new LroDurations
            {
                VirtualMachine = TimeSpan.FromSeconds(2),
                Extension = TimeSpan.FromSeconds(1),
                Delete = TimeSpan.FromMilliseconds(300),
            },
        });
        await CreateResourceGroupAsync(Emulator, ResourceGroup);
        Callbacks = await CallbackReceiver.StartAsync(0, SigningSecret);
        Host = await StartHostAsync(HostEnvironment(TaskHubName, RequestQueueName), "host.log");
        Api = new HttpClient { BaseAddress = new Uri(Host.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        try
        {
            // Each test is scanned right after it (LocalStackTest); this sweep covers what the last one left running.
            // A finding fails the run as a collection cleanup failure.
            if (Host is not null)
            {
                var findings = await KeyMaterialScanner.FindAsync(this);
                if (findings.Count > 0)
                {
                    throw new InvalidOperationException("Key material found after the last test in: " + string.Join(", ", findings));
                }
            }
        }
        finally
        {
            await StopAsync();
        }
    }

    private async Task StopAsync()
    {
        Api?.Dispose();
        foreach (var extra in extraHosts)
        {
            await extra.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Callbacks is not null)
        {
            await Callbacks.DisposeAsync();
        }

        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>Creates the target group as infra does in Azure, with a token from the emulator's tool endpoint: the
    /// app's identity has rights in that group only and never creates groups.</summary>
    private static async Task CreateResourceGroupAsync(AzureEmulator emulator, string name)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(emulator.Certificate.RawData),
        };
        using var arm = new HttpClient(handler) { BaseAddress = emulator.ArmEndpoint };
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"_emulator/token?resource={Uri.EscapeDataString(emulator.ArmAudience)}");
        tokenRequest.Headers.Add("X-IDENTITY-HEADER", emulator.IdentityHeader);
        using var tokenResponse = await arm.SendAsync(tokenRequest);
        tokenResponse.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        using var put = new HttpRequestMessage(HttpMethod.Put, $"subscriptions/{emulator.SubscriptionId}/resourcegroups/{name}?api-version=2022-09-01")
        {
            Content = new StringContent("""{"location":"westeurope"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        put.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var created = await arm.SendAsync(put);
        created.EnsureSuccessStatusCode();
    }

    /// <summary>The settings a developer's local.settings.json would hold, pointing at this stack.</summary>
    public Dictionary<string, string> HostEnvironment(string taskHubName, string requestQueueName)
    {
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["TaskHubName"] = taskHubName,
            ["Azure__Cloud"] = "AzureCloud",
            ["Provisioning__RequestQueueName"] = requestQueueName,
            ["Provisioning__PollInterval"] = "00:00:00.500",

            // The emulator's durations below: the first check of each operation when it is done.
            ["Provisioning__ExpectedNetworkDuration"] = "00:00:00",
            ["Provisioning__ExpectedVmDuration"] = "00:00:02",
            ["Provisioning__ExpectedExtensionDuration"] = "00:00:01",
            ["Provisioning__ExpectedDeletionDuration"] = "00:00:00.300",
            ["Provisioning__TransientRetryFirstInterval"] = "00:00:00.200",
            ["Provisioning__TransientRetryMaxInterval"] = "00:00:01",
            ["Callbacks__SigningKeys__default"] = SigningSecret,
            ["Callbacks__AllowedLocalHosts__0"] = "127.0.0.1",
            ["Callbacks__MaxAttempts"] = "3",
            ["Callbacks__InitialBackoff"] = "00:00:00.200",
            ["Callbacks__MaxBackoff"] = "00:00:01",
            ["Callbacks__AttemptTimeout"] = "00:00:05",
            ["Webhooks__SigningSecret"] = WebhookSecret,
            ["LocalHost__RequestQueue__VisibilityTimeout"] = "00:00:01",
            ["LocalHost__RequestQueue__MaxPollingInterval"] = "00:00:00.500",
            ["LocalHost__DurableTask__MaxQueuePollingInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in Emulator.ConfigurationValues)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in Emulator.EnvironmentVariables)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Starts another local host process (the caller owns it; it is also stopped with the fixture).</summary>
    public async Task<LocalHostProcess> StartHostAsync(IReadOnlyDictionary<string, string> environment, string logName)
    {
        var host = await LocalHostProcess.StartAsync(environment, Path.Combine(LogDirectory, logName), AzuriteServer.FreePorts(1)[0]);
        if (Host is not null)
        {
            extraHosts.Add(host);
        }

        return host;
    }

    /// <summary>A unique, valid VM name (also its DNS label).</summary>
    public string NewVmName(string prefix) => $"{prefix}{Interlocked.Increment(ref vmCounter)}{Guid.NewGuid().ToString("N")[..4]}";

    public JsonObject NewRequest(string name, string installer = "customScript", bool withCallback = true) => new()
    {
        ["name"] = name,
        ["resourceGroup"] = ResourceGroup,
        ["location"] = "westeurope",
        ["vmSize"] = "Standard_B2s",
        ["adminUsername"] = "azureuser",
        ["sshPublicKey"] = SshPublicKey,
        ["allowedSourceCidrs"] = new JsonArray("127.0.0.0/8"),
        ["installer"] = installer,
        ["callback"] = withCallback ? new JsonObject { ["url"] = Callbacks.Url.ToString(), ["signature"] = "standard-webhooks" } : null,
    };

    public async Task<(HttpStatusCode Status, string? Id, Uri? Location, string Body)> SubmitAsync(JsonObject request, string? idempotencyKey = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "docker-vms")
        {
            Content = new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Api.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var id = response.IsSuccessStatusCode ? JsonNode.Parse(body)?["id"]?.GetValue<string>() : null;
        return (response.StatusCode, id, response.Headers.Location, body);
    }

    public async Task<JsonObject?> GetStatusAsync(string id)
    {
        using var response = await Api.GetAsync(new Uri($"docker-vms/{Uri.EscapeDataString(id)}", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Polls the status resource until its state is one of <paramref name="states"/>.</summary>
    public async Task<JsonObject> WaitForStateAsync(string id, TimeSpan timeout, params string[] states)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetStatusAsync(id);
            if (last?["state"]?.GetValue<string>() is { } state)
            {
                if (states.Contains(state, StringComparer.OrdinalIgnoreCase))
                {
                    return last;
                }

                if (TerminalStates.Contains(state, StringComparer.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"Instance {id} ended {state}, expected {string.Join('/', states)}: {last.ToJsonString()}");
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Instance {id} did not reach {string.Join('/', states)} within {timeout}; last status: {last?.ToJsonString()}");
    }

    /// <summary>ARM resources of the emulator whose id names this VM (VM, disk, NIC, NSG, IP, VNet, extensions).</summary>
    public IReadOnlyList<string> ResourcesOf(string vmName) =>
        Emulator.Control.DumpState()["resources"]!.AsArray()
            .Select(r => r!["id"]!.GetValue<string>())
            .Where(id => id.Contains($"/{vmName}", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>
    /// How many <paramref name="method"/> requests the emulator served for one resource path (e.g.
    /// <c>/virtualMachines/{name}</c>), from its request journal. Exact once the workflow that sends them is terminal.
    /// </summary>
    public int RequestsTo(string method, string resourcePathSuffix) =>
        Emulator.Control.RequestLog.Count(e =>
            e.Method.Equals(method, StringComparison.OrdinalIgnoreCase)
            && e.Path.EndsWith(resourcePathSuffix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Live Key Vault secrets of this VM (names start with the VM name).</summary>
    public IReadOnlyList<string> SecretsOf(string vmName) =>
        Emulator.Control.DumpState()["secrets"]!.AsArray()
            .Select(s => s!["name"]!.GetValue<string>())
            .Where(n => n.StartsWith(vmName + "-", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>Verified callbacks about one instance, by CloudEvent subject.</summary>
    public IReadOnlyList<ReceivedCallback> CallbacksFor(string instanceId) =>
        Callbacks.Received.Where(c => c.Body?["subject"]?.GetValue<string>() == instanceId).ToList();

    public async Task<IReadOnlyList<ReceivedCallback>> WaitForCallbacksAsync(string instanceId, string typeSuffix, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var matching = CallbacksFor(instanceId).Where(c => c.Type?.EndsWith(typeSuffix, StringComparison.Ordinal) == true).ToList();
            if (matching.Count >= count || DateTime.UtcNow > deadline)
            {
                return matching;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Asserts what a Docker user relies on: the daemon answers with the issued client certificate only.</summary>
    public async Task AssertDockerAcceptsOnlyIssuedCertificateAsync(JsonObject succeededStatus)
    {
        var host = succeededStatus["host"]!.AsObject();
        var ip = host["publicIpAddress"]!.GetValue<string>();
        var port = new Uri(host["dockerHost"]!.GetValue<string>()).Port;
        var secrets = host["secrets"]!.AsObject();
        var caPem = await ReadSecretAsync(new Uri(secrets["caCertificate"]!.GetValue<string>()));
        var clientCertificatePem = await ReadSecretAsync(new Uri(secrets["clientCertificate"]!.GetValue<string>()));
        var clientKeyPem = await ReadSecretAsync(new Uri(secrets["clientKey"]!.GetValue<string>()));
        using var issued = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(clientCertificatePem, clientKeyPem);

        using var ping = await DockerEndpoint.GetAsync(ip, port, caPem, issued, "/_ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        using var version = await DockerEndpoint.GetAsync(ip, port, caPem, issued, "/version");
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);

        using var foreign = DockerEndpoint.ForeignClientCertificate();
        await DockerEndpoint.AssertRefusedAsync(ip, port, caPem, foreign);
        await DockerEndpoint.AssertRefusedAsync(ip, port, caPem, null);
    }

    /// <summary>Every instance the API lists (all pages).</summary>
    public Task<IReadOnlyList<JsonObject>> ListAllAsync() => ListAllAsync(Api);

    /// <summary>Every instance the API of one host lists (all pages); <paramref name="api"/> has its base address at <c>api/</c>.</summary>
    public static async Task<IReadOnlyList<JsonObject>> ListAllAsync(HttpClient api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var all = new List<JsonObject>();
        var next = "docker-vms";
        while (next is not null)
        {
            var page = JsonNode.Parse(await api.GetStringAsync(new Uri(next.TrimStart('/').Replace("api/", "", StringComparison.Ordinal), UriKind.Relative)))!;
            all.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            next = page["next"]?.GetValue<string>();
        }

        return all;
    }

    /// <summary>Reads a secret's value from the emulator's Key Vault with a token, as a user with read access would.</summary>
    public async Task<string> ReadSecretAsync(Uri secretId)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(Emulator.Certificate.RawData),
        };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(secretId + "?api-version=7.5"));
        request.Headers.Authorization = new("Bearer", Emulator.IssueToken("https://vault.azure.net"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("value").GetString()!;
    }
}

[CollectionDefinition(Name)]
public sealed class LocalStackCollectionDefinition : ICollectionFixture<LocalStackFixture>
{
    public const string Name = "Local stack";
}
