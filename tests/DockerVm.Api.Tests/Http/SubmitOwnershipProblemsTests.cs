using DockerVm.Api.Http;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;

namespace DockerVm.Api.Tests.Http;

/// <summary>How the one-host-one-workflow answers look over HTTP: 409 and 422 problems naming the existing instance.</summary>
public sealed class SubmitOwnershipProblemsTests : IAsyncLifetime
{
    private readonly ApiTestContext _api = ApiTestContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private async Task<HttpOutcome> SubmitAsync(string body, string key)
    {
        var request = _api.Request("POST", DockerVmRoutes.Collection, body, headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });
        return await ApiTestContext.ExecuteAsync(await _api.Handlers.SubmitAsync(request, _api.Client, default), request);
    }

    [Fact]
    public async Task Submit_SameHostUnderAnotherKey_Returns409ProblemNamingTheExistingInstance()
    {
        await SubmitAsync(TestRequests.ValidJson(), "k1");

        var response = await SubmitAsync(TestRequests.ValidJson(), "k2");

        var existing = InstanceIds.ForTarget("rg-docker", "devbox1");
        Assert.Equal(409, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(existing, response.Json.GetProperty("instanceId").GetString());
        Assert.Equal(DockerVmRoutes.StatusPath(existing), response.Json.GetProperty("instance").GetString());
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_KeyReusedWithADifferentBody_Returns422ProblemNamingTheFirstInstance()
    {
        await SubmitAsync(TestRequests.ValidJson(), "k1");

        var response = await SubmitAsync(TestRequests.ValidJson("otherbox"), "k1");

        Assert.Equal(422, response.StatusCode);
        Assert.Equal(InstanceIds.ForTarget("rg-docker", "devbox1"), response.Json.GetProperty("instanceId").GetString());
        Assert.Single(_api.Client.Scheduled);
    }
}
