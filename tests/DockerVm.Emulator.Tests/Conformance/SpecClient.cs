using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Raw HTTP against the emulator, the way a spec example reads: method, path, api-version, JSON body. Trusts only the
/// emulator's certificate and sends a bearer token for the audience (ARM or Key Vault) like any client would.
/// </summary>
internal sealed class SpecClient : IDisposable
{
    /// <summary>Microsoft.Resources, the api-version Azure.ResourceManager 1.7.0 sends for resource groups.</summary>
    public const string ResourcesApiVersion = "2022-09-01";

    public const string NetworkApiVersion = "2024-05-01";

    public const string ComputeApiVersion = "2023-07-01";

    public const string DiskApiVersion = "2023-04-02";

    private readonly HttpClient _http;

    private SpecClient(AzureEmulator emulator, string audience)
    {
        Emulator = emulator;
        _http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueToken(audience));
    }

    public AzureEmulator Emulator { get; }

    public static SpecClient Arm(AzureEmulator emulator) => new(emulator, "https://management.azure.com");

    public static SpecClient Vault(AzureEmulator emulator) => new(emulator, "https://vault.azure.net");

    /// <summary><c>subscriptions/{sub}/resourceGroups/{name}</c>, relative to the emulator's base address.</summary>
    public string GroupPath(string name) => $"subscriptions/{Emulator.SubscriptionId}/resourceGroups/{name}";

    /// <summary>Creates a resource group (ResourceGroups_CreateOrUpdate) and returns its path.</summary>
    public async Task<string> GroupAsync(string name)
    {
        using var response = await SendAsync(HttpMethod.Put, GroupPath(name), ResourcesApiVersion, """{"location":"westus"}""");
        response.EnsureSuccessStatusCode();
        return GroupPath(name);
    }

    /// <summary>A VNet, a Standard static public IP and a NIC using both in <paramref name="group"/>; returns the NIC's id.</summary>
    public async Task<string> NicAsync(string group, string prefix, string location = "westus")
    {
        var vnet = $"{group}/providers/Microsoft.Network/virtualNetworks/{prefix}-vnet";
        await PutOkAsync(vnet, new JsonObject
        {
            ["location"] = location,
            ["properties"] = new JsonObject
            {
                ["addressSpace"] = new JsonObject { ["addressPrefixes"] = new JsonArray("10.0.0.0/16") },
                ["subnets"] = new JsonArray(new JsonObject { ["name"] = "default", ["properties"] = new JsonObject { ["addressPrefix"] = "10.0.0.0/24" } }),
            },
        });
        var ip = $"{group}/providers/Microsoft.Network/publicIPAddresses/{prefix}-ip";
        await PutOkAsync(ip, new JsonObject
        {
            ["location"] = location,
            ["sku"] = new JsonObject { ["name"] = "Standard" },
            ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = "Static" },
        });
        var nic = $"{group}/providers/Microsoft.Network/networkInterfaces/{prefix}-nic";
        await PutOkAsync(nic, new JsonObject
        {
            ["location"] = location,
            ["properties"] = new JsonObject
            {
                ["ipConfigurations"] = new JsonArray(new JsonObject
                {
                    ["name"] = "ipconfig1",
                    ["properties"] = new JsonObject
                    {
                        ["subnet"] = new JsonObject { ["id"] = $"/{vnet}/subnets/default" },
                        ["publicIPAddress"] = new JsonObject { ["id"] = "/" + ip },
                    },
                }),
            },
        });
        return "/" + nic;
    }

    private async Task PutOkAsync(string path, JsonObject body)
    {
        using var response = await SendAsync(HttpMethod.Put, path, NetworkApiVersion, body.ToJsonString());
        response.EnsureSuccessStatusCode();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string apiVersion, string? json = null, string? query = null)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var uri = new Uri($"{path}{separator}api-version={apiVersion}{(query is null ? string.Empty : "&" + query)}", UriKind.Relative);
        using var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    /// <summary>Sends and reads the JSON body; returns the status with it.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseHeaders Headers)> SendJsonAsync(
        HttpMethod method, string path, string apiVersion, string? json = null, string? query = null)
    {
        using var response = await SendAsync(method, path, apiVersion, json, query);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        return (response.StatusCode, body, response.Headers);
    }

    /// <summary>
    /// Follows an Azure-AsyncOperation URL until the status leaves InProgress (bounded); returns the last status
    /// document. The emulator's durations are zero in the shared fixture, so the first poll normally ends it.
    /// </summary>
    public async Task<JsonObject> PollAsyncOperationAsync(string url)
    {
        JsonObject status = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var response = await _http.GetAsync(new Uri(url));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            if ((string?)status["status"] != "InProgress")
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return status;
    }

    /// <summary>One GET of an Azure-AsyncOperation URL: the status document and the Retry-After the poller honours.</summary>
    public async Task<(JsonObject Body, RetryConditionHeaderValue? RetryAfter)> PollAsyncOperationOnceAsync(string url)
    {
        using var response = await _http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response.Headers.RetryAfter);
    }

    /// <summary>One GET of an absolute URL (a Location header).</summary>
    public async Task<(HttpStatusCode Status, HttpResponseHeaders Headers)> GetUrlAsync(string url)
    {
        using var response = await _http.GetAsync(new Uri(url));
        return (response.StatusCode, response.Headers);
    }

    /// <summary>Follows a Location URL until it stops answering 202 (bounded); returns the final status code.</summary>
    public async Task<HttpStatusCode> PollLocationAsync(string url)
    {
        var status = HttpStatusCode.Accepted;
        for (var attempt = 0; attempt < 100 && status == HttpStatusCode.Accepted; attempt++)
        {
            using var response = await _http.GetAsync(new Uri(url));
            status = response.StatusCode;
            if (status == HttpStatusCode.Accepted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }

        return status;
    }

    public void Dispose() => _http.Dispose();
}
