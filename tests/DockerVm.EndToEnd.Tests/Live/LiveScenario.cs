using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.ResourceManager.Resources;
using Azure.Security.KeyVault.Secrets;
using Xunit.Abstractions;

namespace DockerVm.EndToEnd.Tests.Live;

/// <summary>
/// What a caller does with a deployment: request one host, connect with the Docker CLI from this machine using the
/// client set read from Key Vault with the caller's own credential, deprovision, and check that nothing is left.
/// </summary>
public static class LiveScenario
{
    public static async Task RunAsync(LiveTarget target, ITestOutputHelper output)
    {
        var name = "live" + Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();

        var id = await SubmitAsync(target, name);
        var done = await WaitForStateAsync(target, id, "succeeded");
        output.WriteLine($"{name}: succeeded after {clock.Elapsed.TotalSeconds:F0} s");

        var host = done["host"]!.AsObject();
        var secretIds = host["secrets"]!.AsObject()
            .Where(p => p.Value is JsonValue)
            .Select(p => new Uri(p.Value!.GetValue<string>()))
            .ToList();
        var endpoint = new Uri(host["dockerHost"]!.GetValue<string>());
        var address = target.ConnectByAddress ? host["publicIpAddress"]!.GetValue<string>() : endpoint.Host;

        using (var certs = await ClientCertificateDirectory.WriteAsync(target, host["secrets"]!.AsObject()))
        {
            var docker = new DockerCli(certs.Path, $"tcp://{address}:{endpoint.Port}");
            var version = await docker.RunAsync("version", "--format", "{{.Server.Version}}");
            Assert.True(version.ExitCode == 0, $"docker version failed: {version.Error}");
            output.WriteLine($"{name}: docker version → server {version.Output.Trim()}");
            var info = await docker.RunAsync("info", "--format", "{{json .SecurityOptions}}");
            Assert.True(info.ExitCode == 0, $"docker info failed: {info.Error}");
            if (target.RunsContainers)
            {
                Assert.Contains("userns", info.Output, StringComparison.Ordinal);
                var run = await docker.RunAsync("run", "--rm", "busybox", "echo", "dockervm-live-ok");
                Assert.True(run.ExitCode == 0, $"docker run failed: {run.Error}");
                Assert.Contains("dockervm-live-ok", run.Output, StringComparison.Ordinal);
            }

            var anonymous = await new DockerCli(certs.CaOnlyPath, $"tcp://{address}:{endpoint.Port}").RunAsync("version", "--format", "{{.Server.Version}}");
            Assert.NotEqual(0, anonymous.ExitCode);
        }

        using (var delete = await target.Api.DeleteAsync(new Uri($"docker-vms/{Uri.EscapeDataString(id)}", UriKind.Relative)))
        {
            Assert.True(delete.StatusCode == HttpStatusCode.Accepted, $"DELETE answered {(int)delete.StatusCode}: {await delete.Content.ReadAsStringAsync()}");
        }

        await WaitForStateAsync(target, id, "deprovisioned");
        output.WriteLine($"{name}: deprovisioned after {clock.Elapsed.TotalSeconds:F0} s");

        await AssertNothingLeftAsync(target, id, name, secretIds);
        output.WriteLine($"{name}: nothing left in {target.ResourceGroup} or the vault after {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task<string> SubmitAsync(LiveTarget target, string name)
    {
        var request = new JsonObject
        {
            ["name"] = name,
            ["resourceGroup"] = target.ResourceGroup,
            ["location"] = target.Location,
            ["vmSize"] = target.VmSize,
            ["adminUsername"] = "azureuser",
            ["sshPublicKey"] = target.SshPublicKey,
            ["allowedSourceCidrs"] = new JsonArray(target.AllowedSourceCidr),
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, "docker-vms")
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("Idempotency-Key", name);
        using var response = await target.Api.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static async Task<JsonObject> WaitForStateAsync(LiveTarget target, string id, string expected)
    {
        var deadline = DateTime.UtcNow + target.ProvisioningTimeout;
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = JsonNode.Parse(await target.Api.GetStringAsync(new Uri($"docker-vms/{Uri.EscapeDataString(id)}", UriKind.Relative)))!.AsObject();
            var state = last["state"]?.GetValue<string>();
            if (state == expected)
            {
                return last;
            }

            if (state is "succeeded" or "failed" or "deprovisioned" or "deprovisionFailed")
            {
                throw new InvalidOperationException($"{id} ended {state}, expected {expected}: {last.ToJsonString()}");
            }

            await Task.Delay(target.PollInterval);
        }

        throw new TimeoutException($"{id} did not reach {expected} within {target.ProvisioningTimeout}; last status: {last?.ToJsonString()}");
    }

    /// <summary>No resource in the target group carries the instance's tag or the VM's name, and no secret is readable.</summary>
    private static async Task AssertNothingLeftAsync(LiveTarget target, string id, string name, IReadOnlyList<Uri> secretIds)
    {
        var group = target.Arm.GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(target.SubscriptionId, target.ResourceGroup));
        var deadline = DateTime.UtcNow + target.CleanupGrace;
        List<string> left;
        do
        {
            left = [];
            await foreach (var resource in group.GetGenericResourcesAsync())
            {
                var tagged = resource.Data.Tags.TryGetValue("dockervm-instance", out var owner) && owner == id;
                if (tagged || resource.Data.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
                {
                    left.Add(resource.Id.ToString());
                }
            }

            foreach (var secretId in secretIds)
            {
                var secret = new KeyVaultSecretIdentifier(secretId);
                try
                {
                    await target.Secrets(secret.VaultUri).GetSecretAsync(secret.Name);
                    left.Add(secretId.GetLeftPart(UriPartial.Path));
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    // Deleted (soft-deleted under purge protection): what a reader with Secrets User rights sees.
                }
            }

            if (left.Count == 0)
            {
                return;
            }

            await Task.Delay(target.PollInterval);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"left behind after deprovisioning: {string.Join(", ", left)}");
    }
}
