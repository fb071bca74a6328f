using System.Net;
using System.Text.Json.Nodes;
using DockerVm.EndToEnd.Tests.Infrastructure;
using DockerVm.LocalHost.Demo;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class HttpProvisioningTests(LocalStackFixture stack)
{
    static readonly TimeSpan ProvisioningTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HttpSubmit_ValidRequest_CompletesWithOneSignedCallbackAndWorkingDockerEndpoint()
    {
        string name = stack.NewVmName("http");

        var (status, id, location, body) = await stack.SubmitAsync(stack.NewRequest(name), idempotencyKey: name);

        Assert.True(status == HttpStatusCode.Accepted, body);
        Assert.NotNull(id);
        Assert.EndsWith($"/api/docker-vms/{id}", location!.ToString(), StringComparison.Ordinal);
        JsonObject done = await stack.WaitForStateAsync(id, ProvisioningTimeout, "succeeded", "failed");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.DoesNotContain("PRIVATE KEY", done.ToJsonString(), StringComparison.Ordinal);

        // The signed callback arrives exactly once and verifies with the shared secret.
        var provisioned = await stack.WaitForCallbacksAsync(id, ".provisioned");
        await Task.Delay(500);
        ReceivedCallback callback = Assert.Single(stack.CallbacksFor(id), c => c.Type!.EndsWith(".provisioned", StringComparison.Ordinal));
        Assert.True(callback.Verified, callback.Error);
        Assert.DoesNotContain("PRIVATE KEY", callback.Payload, StringComparison.Ordinal);
        Assert.Single(provisioned);

        // CA, server pair and client pair live in Key Vault, nowhere else.
        Assert.Equal(5, stack.SecretsOf(name).Count);

        // The daemon accepts the issued client certificate and refuses any other.
        await stack.AssertDockerAcceptsOnlyIssuedCertificateAsync(done);
    }

    [Fact]
    public async Task HttpSubmit_DockerExtensionInstaller_CompletesWithWorkingDockerEndpoint()
    {
        string name = stack.NewVmName("ext");

        var (status, id, _, body) = await stack.SubmitAsync(stack.NewRequest(name, installer: "dockerExtension", withCallback: false));

        Assert.True(status == HttpStatusCode.Accepted, body);
        JsonObject done = await stack.WaitForStateAsync(id!, ProvisioningTimeout, "succeeded", "failed");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Contains(stack.ResourcesOf(name), r => r.Contains("/extensions/", StringComparison.OrdinalIgnoreCase));
        await stack.AssertDockerAcceptsOnlyIssuedCertificateAsync(done);
    }

    [Fact]
    public async Task HttpSubmit_SameIdempotencyKeyTwice_OneInstanceAndOneVm()
    {
        string name = stack.NewVmName("idem");
        JsonObject request = stack.NewRequest(name);

        var first = await stack.SubmitAsync(request, idempotencyKey: "key-" + name);
        var second = await stack.SubmitAsync(request.DeepClone().AsObject(), idempotencyKey: "key-" + name);

        Assert.True(first.Status == HttpStatusCode.Accepted, first.Body);
        Assert.True(second.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, second.Body);
        Assert.Equal(first.Id, second.Id);
        await stack.WaitForStateAsync(first.Id!, ProvisioningTimeout, "succeeded");
        var third = await stack.SubmitAsync(request.DeepClone().AsObject(), idempotencyKey: "key-" + name);
        Assert.Equal(first.Id, third.Id);
        await Task.Delay(1000);
        Assert.Single(stack.ResourcesOf(name), r => r.EndsWith($"/virtualMachines/{name}", StringComparison.OrdinalIgnoreCase));
        Assert.Single(await stack.WaitForCallbacksAsync(first.Id!, ".provisioned"));
        Assert.Single(await stack.ListAllAsync(), s => s["name"]?.GetValue<string>() == name);
    }

    [Fact]
    public async Task HttpDelete_ProvisionedHost_RemovesEveryResourceAndSecretAndSendsEvent()
    {
        string name = stack.NewVmName("del");
        var (_, id, _, _) = await stack.SubmitAsync(stack.NewRequest(name));
        await stack.WaitForStateAsync(id!, ProvisioningTimeout, "succeeded");
        Assert.NotEmpty(stack.ResourcesOf(name));

        using HttpResponseMessage delete = await stack.Api.DeleteAsync(new Uri($"docker-vms/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await stack.WaitForStateAsync(id!, ProvisioningTimeout, "deprovisioned");
        Assert.Empty(stack.ResourcesOf(name));
        Assert.Empty(stack.SecretsOf(name));
        ReceivedCallback deprovisioned = Assert.Single(await stack.WaitForCallbacksAsync(id!, ".deprovisioned"));
        Assert.True(deprovisioned.Verified, deprovisioned.Error);
    }
}
