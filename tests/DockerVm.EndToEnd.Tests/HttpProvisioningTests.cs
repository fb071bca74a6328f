using System.Net;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class HttpProvisioningTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    private static readonly TimeSpan ProvisioningTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HttpSubmit_ValidRequest_CompletesWithOneSignedCallbackAndWorkingDockerEndpoint()
    {
        var name = Stack.NewVmName("http");

        var (status, id, location, body) = await Stack.SubmitAsync(Stack.NewRequest(name), idempotencyKey: name);

        Assert.True(status == HttpStatusCode.Accepted, body);
        Assert.NotNull(id);
        Assert.EndsWith($"/api/docker-vms/{id}", location!.ToString(), StringComparison.Ordinal);
        var done = await Stack.WaitForStateAsync(id, ProvisioningTimeout, "succeeded", "failed");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.DoesNotContain("PRIVATE KEY", done.ToJsonString(), StringComparison.Ordinal);

        // The signed callback arrives exactly once and verifies with the shared secret. "succeeded" means the
        // orchestration completed, so its callback activity has finished: what the receiver holds now is final.
        var provisioned = await Stack.WaitForCallbacksAsync(id, ".provisioned");
        var callback = Assert.Single(Stack.CallbacksFor(id), c => c.Type!.EndsWith(".provisioned", StringComparison.Ordinal));
        Assert.True(callback.Verified, callback.Error);
        Assert.DoesNotContain("PRIVATE KEY", callback.Payload, StringComparison.Ordinal);
        Assert.Single(provisioned);

        // CA, server pair and client pair live in Key Vault, nowhere else.
        Assert.Equal(5, Stack.SecretsOf(name).Count);

        // The daemon accepts the issued client certificate and refuses any other.
        await Stack.AssertDockerAcceptsOnlyIssuedCertificateAsync(done);
    }

    [Fact]
    public async Task HttpSubmit_DockerExtensionInstaller_CompletesWithWorkingDockerEndpoint()
    {
        var name = Stack.NewVmName("ext");

        var (status, id, _, body) = await Stack.SubmitAsync(Stack.NewRequest(name, installer: "dockerExtension", withCallback: false));

        Assert.True(status == HttpStatusCode.Accepted, body);
        var done = await Stack.WaitForStateAsync(id!, ProvisioningTimeout, "succeeded", "failed");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Contains(Stack.ResourcesOf(name), r => r.Contains("/extensions/", StringComparison.OrdinalIgnoreCase));
        await Stack.AssertDockerAcceptsOnlyIssuedCertificateAsync(done);
    }

    [Fact]
    public async Task HttpSubmit_SameIdempotencyKeyTwice_OneInstanceAndOneVm()
    {
        var name = Stack.NewVmName("idem");
        var request = Stack.NewRequest(name);

        var first = await Stack.SubmitAsync(request, idempotencyKey: "key-" + name);
        var second = await Stack.SubmitAsync(request.DeepClone().AsObject(), idempotencyKey: "key-" + name);

        Assert.True(first.Status == HttpStatusCode.Accepted, first.Body);
        Assert.True(second.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, second.Body);
        Assert.Equal(first.Id, second.Id);
        await Stack.WaitForStateAsync(first.Id!, ProvisioningTimeout, "succeeded");
        var third = await Stack.SubmitAsync(request.DeepClone().AsObject(), idempotencyKey: "key-" + name);
        Assert.Equal(first.Id, third.Id);

        // The only instance is terminal (and a second one would be listed as soon as it was scheduled), so the
        // emulator's journal is final: exactly one VM PUT was ever sent for this name.
        Assert.Equal(1, Stack.RequestsTo("PUT", $"/virtualMachines/{name}"));
        Assert.Single(Stack.ResourcesOf(name), r => r.EndsWith($"/virtualMachines/{name}", StringComparison.OrdinalIgnoreCase));
        Assert.Single(await Stack.WaitForCallbacksAsync(first.Id!, ".provisioned"));
        Assert.Single(await Stack.ListAllAsync(), s => s["name"]?.GetValue<string>() == name);
    }

    [Fact]
    public async Task HttpDelete_ProvisionedHost_RemovesEveryResourceAndSecretAndSendsEvent()
    {
        var name = Stack.NewVmName("del");
        var (_, id, _, _) = await Stack.SubmitAsync(Stack.NewRequest(name));
        await Stack.WaitForStateAsync(id!, ProvisioningTimeout, "succeeded");
        Assert.NotEmpty(Stack.ResourcesOf(name));

        using var delete = await Stack.Api.DeleteAsync(new Uri($"docker-vms/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await Stack.WaitForStateAsync(id!, ProvisioningTimeout, "deprovisioned");
        Assert.Empty(Stack.ResourcesOf(name));
        Assert.Empty(Stack.SecretsOf(name));
        var deprovisioned = Assert.Single(await Stack.WaitForCallbacksAsync(id!, ".deprovisioned"));
        Assert.True(deprovisioned.Verified, deprovisioned.Error);
    }
}
