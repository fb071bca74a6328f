using System.Text.Json.Nodes;
using DockerVm.Api.Http;
using DockerVm.Api.Webhooks;
using DockerVm.Functions.Http;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;
using Microsoft.DurableTask.Client;
using StandardWebhooks;

namespace DockerVm.Functions.Tests.Http;

/// <summary>Each HTTP trigger called as a plain method, with a fake Durable Task client bound in.</summary>
public sealed class DockerVmHttpFunctionsTests : IAsyncLifetime
{
    private readonly ApiTestContext _api = ApiTestContext.Create();

    private DockerVmHttpFunctions Functions => _api.Create<DockerVmHttpFunctions>();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private async Task<HttpOutcome> SubmitAsync(string body, Dictionary<string, string>? headers = null)
    {
        var request = _api.Request("POST", DockerVmRoutes.Collection, body, headers: headers);
        return await ApiTestContext.ExecuteAsync(await Functions.SubmitAsync(request, _api.Client, default), request);
    }

    [Fact]
    public async Task Submit_ValidRequest_SchedulesProvisioningWithRightInstanceIdAndInput()
    {
        var response = await SubmitAsync(TestRequests.ValidJson("fnbox"), new() { ["Idempotency-Key"] = "ticket-7" });

        Assert.Equal(202, response.StatusCode);
        var scheduled = Assert.Single(_api.Client.Scheduled);
        Assert.Equal(nameof(ProvisionDockerVm), scheduled.Name);
        Assert.Equal(InstanceIds.ForProvisioning("rg-docker", "fnbox", "ticket-7"), scheduled.InstanceId);
        var spec = Assert.IsType<DockerVmSpec>(scheduled.Input);
        Assert.Equal(("fnbox", "rg-docker", "westeurope"), (spec.Name, spec.ResourceGroup, spec.Location));
        Assert.Equal($"/api/docker-vms/{scheduled.InstanceId}", response.Location);
    }

    [Fact]
    public async Task Submit_InvalidRequest_Returns400WithFieldErrorsAndSchedulesNothing()
    {
        var body = TestRequests.Valid();
        body["dockerPort"] = 70000;
        body["adminUsername"] = "root";

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        var errors = response.Json.GetProperty("errors");
        Assert.Equal(ValidationRules.DockerPortRange, errors.GetProperty("dockerPort")[0].GetProperty("rule").GetString());
        Assert.Equal(ValidationRules.AdminUsernameReserved, errors.GetProperty("adminUsername")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_Duplicate_PointsToSameInstance()
    {
        var first = await SubmitAsync(TestRequests.ValidJson());
        var second = await SubmitAsync(TestRequests.ValidJson());

        Assert.Equal(first.Location, second.Location);
        Assert.Equal(first.Json.GetProperty("id").GetString(), second.Json.GetProperty("id").GetString());
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Get_ThenList_ThenDelete_AnswerForTheSubmittedInstance()
    {
        var submitted = await SubmitAsync(TestRequests.ValidJson());
        var id = submitted.Json.GetProperty("id").GetString()!;

        var getRequest = _api.Request("GET", submitted.Location!);
        var get = await ApiTestContext.ExecuteAsync(await Functions.GetAsync(getRequest, id, _api.Client, default), getRequest);
        var listRequest = _api.Request("GET", DockerVmRoutes.Collection);
        var list = await ApiTestContext.ExecuteAsync(await Functions.ListAsync(listRequest, _api.Client, default), listRequest);
        var deleteRequest = _api.Request("DELETE", submitted.Location!);
        var delete = await ApiTestContext.ExecuteAsync(await Functions.DeleteAsync(deleteRequest, id, _api.Client, default), deleteRequest);

        Assert.Equal(200, get.StatusCode);
        Assert.Equal("pending", get.Json.GetProperty("state").GetString());
        Assert.Equal(id, Assert.Single(list.Json.GetProperty("items").EnumerateArray()).GetProperty("instanceId").GetString());
        Assert.Equal(409, delete.StatusCode);
    }

    [Fact]
    public async Task Delete_Completed_SchedulesDeprovisioning()
    {
        var submitted = await SubmitAsync(TestRequests.ValidJson());
        var id = submitted.Json.GetProperty("id").GetString()!;
        _api.Client.Seed(nameof(ProvisionDockerVm), id, _api.Client.Scheduled[0].Input, OrchestrationRuntimeStatus.Completed, new ProvisionDockerVmResult { Succeeded = true });

        var request = _api.Request("DELETE", submitted.Location!);
        var response = await ApiTestContext.ExecuteAsync(await Functions.DeleteAsync(request, id, _api.Client, default), request);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal(nameof(DeprovisionDockerVm), _api.Client.Scheduled[^1].Name);
    }

    [Fact]
    public async Task Get_Unknown_Returns404Problem()
    {
        var request = _api.Request("GET", "/api/docker-vms/unknown");
        var response = await ApiTestContext.ExecuteAsync(await Functions.GetAsync(request, "unknown", _api.Client, default), request);

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
    }

    [Fact]
    public async Task ReceiveWebhook_SignedThenReplayed_SchedulesOnceAndRefusesReplayWith401()
    {
        var payload = new JsonObject { ["type"] = InboundWebhookPayload.ProvisionRequestedType, ["data"] = TestRequests.Valid() }.ToJsonString();
        var now = _api.Time.GetUtcNow();
        var headers = new Dictionary<string, string>
        {
            [InboundWebhookVerifier.IdHeader] = "msg_fn",
            [InboundWebhookVerifier.TimestampHeader] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [InboundWebhookVerifier.SignatureHeader] = new StandardWebhook(ApiTestContext.WebhookSecret).Sign("msg_fn", now, payload),
        };

        var first = _api.Request("POST", DockerVmRoutes.Webhook, payload, headers: headers);
        var accepted = await ApiTestContext.ExecuteAsync(await Functions.ReceiveWebhookAsync(first, _api.Client, default), first);
        var again = _api.Request("POST", DockerVmRoutes.Webhook, payload, headers: headers);
        var replayed = await ApiTestContext.ExecuteAsync(await Functions.ReceiveWebhookAsync(again, _api.Client, default), again);

        Assert.Equal(202, accepted.StatusCode);
        Assert.Equal(401, replayed.StatusCode);
        Assert.Equal(InstanceIds.ForProvisioning("rg-docker", "devbox1", null), Assert.Single(_api.Client.Scheduled).InstanceId);
    }

    [Fact]
    public async Task ReceiveWebhook_Unsigned_Returns401AndSchedulesNothing()
    {
        var request = _api.Request("POST", DockerVmRoutes.Webhook, TestRequests.ValidJson());

        var response = await ApiTestContext.ExecuteAsync(await Functions.ReceiveWebhookAsync(request, _api.Client, default), request);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task GetOpenApiDocument_ServesTheDocument()
    {
        var request = _api.Request("GET", DockerVmRoutes.OpenApiDocument);

        var response = await ApiTestContext.ExecuteAsync(DockerVmHttpFunctions.GetOpenApiDocument(request), request);

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.Json.GetProperty("paths").TryGetProperty("/api/docker-vms/{id}", out _));
    }
}
