using System.Text.Json.Nodes;
using DockerVm.Api.Http;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;
using Microsoft.DurableTask.Client;

namespace DockerVm.Api.Tests.Http;

public sealed class DockerVmHttpHandlersTests : IAsyncLifetime
{
    private readonly ApiTestContext _api = ApiTestContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private async Task<HttpOutcome> SubmitAsync(string body, IReadOnlyDictionary<string, string>? headers = null, string? contentType = "application/json")
    {
        var request = _api.Request("POST", DockerVmRoutes.Collection, body, contentType, headers);
        return await ApiTestContext.ExecuteAsync(await _api.Handlers.SubmitAsync(request, _api.Client, default), request);
    }

    private async Task<HttpOutcome> CallAsync(Func<Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Http.IResult>> handler, string method, string path, string? query = null)
    {
        var request = _api.Request(method, path, query: query);
        return await ApiTestContext.ExecuteAsync(await handler(request), request);
    }

    [Fact]
    public async Task Submit_ValidRequest_Returns202WithLocationAndSchedulesProvisioning()
    {
        var response = await SubmitAsync(TestRequests.ValidJson());

        Assert.Equal(202, response.StatusCode);
        var scheduled = Assert.Single(_api.Client.Scheduled);
        Assert.Equal(nameof(ProvisionDockerVm), scheduled.Name);
        Assert.Equal(InstanceIds.ForTarget("rg-docker", "devbox1"), scheduled.InstanceId);
        var spec = Assert.IsType<DockerVmSpec>(scheduled.Input);
        Assert.Equal("devbox1", spec.Name);
        Assert.Equal(["203.0.113.0/24"], spec.AllowedSourceCidrs);
        Assert.Equal($"/api/docker-vms/{scheduled.InstanceId}", response.Location);
        Assert.Equal(scheduled.InstanceId, response.Json.GetProperty("id").GetString());
        Assert.Equal(response.Location, response.Json.GetProperty("statusUrl").GetString());
        Assert.False(response.Json.GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Submit_IdempotencyKeyHeader_InstanceIdDerivesFromKey()
    {
        await SubmitAsync(TestRequests.ValidJson(), new Dictionary<string, string> { ["Idempotency-Key"] = "order-42" });

        var scheduled = Assert.Single(_api.Client.Scheduled);
        Assert.Equal(InstanceIds.ForTarget("rg-docker", "devbox1"), scheduled.InstanceId);
        Assert.Equal("order-42", Assert.IsType<DockerVmSpec>(scheduled.Input).IdempotencyKey);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyTwice_SecondAnswers200WithSameLocationAndSchedulesNothing()
    {
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "order-42" };
        var first = await SubmitAsync(TestRequests.ValidJson(), headers);
        var second = await SubmitAsync(TestRequests.ValidJson(), headers);

        Assert.Equal(202, first.StatusCode);
        Assert.Equal(200, second.StatusCode);
        Assert.Equal(first.Location, second.Location);
        Assert.True(second.Json.GetProperty("duplicate").GetBoolean());
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_MalformedIdempotencyKeyHeader_Returns400ForIdempotencyKey()
    {
        var response = await SubmitAsync(TestRequests.ValidJson(), new Dictionary<string, string> { ["Idempotency-Key"] = "spaces are not allowed" });

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(ValidationRules.IdempotencyKeyFormat, response.Json.GetProperty("errors").GetProperty("idempotencyKey")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_HeaderAndBodyKeys_HeaderWins()
    {
        var body = TestRequests.Valid();
        body["idempotencyKey"] = "from-body";

        await SubmitAsync(body.ToJsonString(), new Dictionary<string, string> { ["Idempotency-Key"] = "from-header" });

        Assert.Equal(InstanceIds.ForTarget("rg-docker", "devbox1"), Assert.Single(_api.Client.Scheduled).InstanceId);
    }

    [Fact]
    public async Task Submit_InvalidFields_Returns400ProblemWithErrorsKeyedByFieldAndSchedulesNothing()
    {
        var body = TestRequests.Valid();
        body["allowedSourceCidrs"] = new JsonArray("203.0.113.0/24", "not-a-cidr");
        body.Remove("location");

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(400, response.Json.GetProperty("status").GetInt32());
        var errors = response.Json.GetProperty("errors");
        var cidr = errors.GetProperty("allowedSourceCidrs[1]")[0];
        Assert.Equal(ValidationRules.CidrSyntax, cidr.GetProperty("rule").GetString());
        Assert.False(string.IsNullOrEmpty(cidr.GetProperty("message").GetString()));
        Assert.Equal(ValidationRules.Required, errors.GetProperty("location")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_WrongJsonType_Returns400NamingTheJsonPath()
    {
        var body = TestRequests.Valid();
        body["dockerPort"] = "two-three-seven-six";

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Contains("$.dockerPort", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("json-syntax", response.Json.GetProperty("errors").GetProperty("dockerPort")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_TruncatedJson_Returns400()
    {
        var response = await SubmitAsync("{\"name\": \"devbox1\", \"location\": ");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The request body is not valid JSON.", response.Json.GetProperty("title").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_MisspeltField_Returns400NamingIt()
    {
        var body = TestRequests.Valid();
        body["allowedSourceCidr"] = new JsonArray("203.0.113.0/24");

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("allowedSourceCidr", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(ValidationRules.UnknownField, response.Json.GetProperty("errors").GetProperty("allowedSourceCidr")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_NumberInString_Returns400NamingDockerPort()
    {
        var body = TestRequests.Valid();
        body["dockerPort"] = "2377";

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(ValidationRules.JsonSyntax, response.Json.GetProperty("errors").GetProperty("dockerPort")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_CaseVariantPropertyName_Returns400NamingIt()
    {
        var body = TestRequests.Valid();
        body.Remove("name");
        body["Name"] = "devbox1";

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        var error = response.Json.GetProperty("errors").GetProperty("Name")[0];
        Assert.Equal(ValidationRules.UnknownField, error.GetProperty("rule").GetString());
        Assert.Contains("did you mean 'name'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_DuplicateKey_Returns400NamingIt()
    {
        var json = TestRequests.ValidJson().TrimEnd('}') + ",\"name\":\"otherbox\"}";

        var response = await SubmitAsync(json);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(ValidationRules.DuplicateField, response.Json.GetProperty("errors").GetProperty("name")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_SeveralContractFaults_Returns400WithEveryField()
    {
        var body = TestRequests.Valid();
        body["bogus"] = 1;
        body["dockerPort"] = "2376";
        body["tags"] = new JsonObject { ["env"] = 1 };

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The request body does not match the request contract.", response.Json.GetProperty("title").GetString());
        var errors = response.Json.GetProperty("errors");
        Assert.Equal(["bogus", "dockerPort", "tags.env"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Submit_BodyOverTheLimit_Returns413()
    {
        var body = TestRequests.Valid();
        body["tags"] = new JsonObject { ["big"] = new string('x', RequestJson.MaxBytes) };

        var response = await SubmitAsync(body.ToJsonString());

        Assert.Equal(413, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=\"UTF-8\"")]
    public async Task Submit_ApplicationJson_IsAccepted(string contentType)
    {
        var response = await SubmitAsync(TestRequests.ValidJson(), contentType: contentType);

        Assert.Equal(202, response.StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/cloudevents+json")]
    [InlineData("application/merge-patch+json")]
    [InlineData("text/json")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; odata=verbose")]
    [InlineData("application/jsonx")]
    [InlineData(null)]
    public async Task Submit_AnyOtherContentType_Returns415(string? contentType)
    {
        var response = await SubmitAsync(TestRequests.ValidJson(), contentType: contentType);

        Assert.Equal(415, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_TaskHubUnavailable_Returns500ProblemWithoutExceptionText()
    {
        _api.Client.FailWith = new InvalidOperationException("connection string AccountKey=c2VjcmV0 refused");

        var response = await SubmitAsync(TestRequests.ValidJson());

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.DoesNotContain("AccountKey", response.Body, StringComparison.Ordinal);
        Assert.True(response.Json.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        var response = await CallAsync(r => _api.Handlers.GetAsync(r, "dockervm-missing", _api.Client, default), "GET", "/api/docker-vms/dockervm-missing");

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Contains("dockervm-missing", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SucceededInstance_ReturnsStateHostAndSecretUrisInCamelCase()
    {
        var submitted = await SubmitAsync(TestRequests.ValidJson());
        var id = submitted.Json.GetProperty("id").GetString()!;
        var spec = (DockerVmSpec)_api.Client.Scheduled[0].Input!;
        var vault = "https://kv-test.vault.azure.net/secrets/";
        _api.Client.Seed(nameof(ProvisionDockerVm), id, spec, OrchestrationRuntimeStatus.Completed, new ProvisionDockerVmResult
        {
            Succeeded = true,
            Fqdn = "devbox1.westeurope.cloudapp.azure.com",
            DockerHost = "tcp://devbox1.westeurope.cloudapp.azure.com:2376",
            Secrets = new DockerSecretIdentifiers(
                new Uri(vault + "ca/1"), new Uri(vault + "sc/1"), new Uri(vault + "sk/1"), new Uri(vault + "cc/1"), new Uri(vault + "ck/1")),
        });

        var response = await CallAsync(r => _api.Handlers.GetAsync(r, id, _api.Client, default), "GET", submitted.Location!);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("succeeded", response.Json.GetProperty("state").GetString());
        var host = response.Json.GetProperty("host");
        Assert.Equal("devbox1.westeurope.cloudapp.azure.com", host.GetProperty("fqdn").GetString());
        Assert.Equal("tcp://devbox1.westeurope.cloudapp.azure.com:2376", host.GetProperty("dockerHost").GetString());
        Assert.Equal(vault + "ck/1", host.GetProperty("secrets").GetProperty("clientKey").GetString());
    }

    [Fact]
    public async Task Get_FailedInstance_ShowsArmErrorCode()
    {
        var submitted = await SubmitAsync(TestRequests.ValidJson());
        var id = submitted.Json.GetProperty("id").GetString()!;
        _api.Client.Seed(nameof(ProvisionDockerVm), id, _api.Client.Scheduled[0].Input, OrchestrationRuntimeStatus.Completed, new ProvisionDockerVmResult
        {
            Succeeded = false,
            ErrorCode = "QuotaExceeded",
            ErrorMessage = "Operation could not be completed as it results in exceeding approved quota.",
            FailedStep = ProvisioningStep.CreatingVirtualMachine,
        });

        var response = await CallAsync(r => _api.Handlers.GetAsync(r, id, _api.Client, default), "GET", submitted.Location!);

        Assert.Equal("failed", response.Json.GetProperty("state").GetString());
        Assert.Equal("QuotaExceeded", response.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("creatingVirtualMachine", response.Json.GetProperty("error").GetProperty("failedStep").GetString());
    }

    [Fact]
    public async Task List_MoreThanOnePage_ReturnsPageWithNextLink()
    {
        foreach (var name in new[] { "vm1", "vm2", "vm3" })
        {
            await SubmitAsync(TestRequests.ValidJson(name));
        }

        var first = await CallAsync(r => _api.Handlers.ListAsync(r, _api.Client, default), "GET", DockerVmRoutes.Collection, "?pageSize=2");

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(2, first.Json.GetProperty("items").GetArrayLength());
        var next = first.Json.GetProperty("next").GetString()!;
        Assert.StartsWith("/api/docker-vms?pageSize=2&continuationToken=", next, StringComparison.Ordinal);

        var second = await CallAsync(r => _api.Handlers.ListAsync(r, _api.Client, default), "GET", DockerVmRoutes.Collection, next[next.IndexOf('?', StringComparison.Ordinal)..]);
        Assert.Equal(1, second.Json.GetProperty("items").GetArrayLength());
        Assert.False(second.Json.TryGetProperty("next", out _));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("dockervm-vm2.rg-docker")]
    [InlineData("v1.")]
    [InlineData("v1.ZG9ja2Vydm0tdm0y")]
    [InlineData("v1.ZG9ja2Vydm0tdm0y.AAAAAAAAAAAAAAAA")]
    [InlineData("v1.!!!.!!!")]
    public async Task List_GarbageContinuationToken_Returns400NamingIt(string token)
    {
        var response = await CallAsync(r => _api.Handlers.ListAsync(r, _api.Client, default), "GET", DockerVmRoutes.Collection,
            "?continuationToken=" + Uri.EscapeDataString(token));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("continuation-token", response.Json.GetProperty("errors").GetProperty("continuationToken")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task List_TamperedContinuationToken_Returns400()
    {
        foreach (var name in new[] { "vm1", "vm2", "vm3" })
        {
            await SubmitAsync(TestRequests.ValidJson(name));
        }

        var first = await CallAsync(r => _api.Handlers.ListAsync(r, _api.Client, default), "GET", DockerVmRoutes.Collection, "?pageSize=1");
        var token = first.Json.GetProperty("continuationToken").GetString()!;
        var payload = token.Split('.')[1];
        var other = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("dockervm-vm3.rg-docker")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var tampered = token.Replace(payload, other, StringComparison.Ordinal);

        var response = await CallAsync(r => _api.Handlers.ListAsync(r, _api.Client, default), "GET", DockerVmRoutes.Collection,
            "?pageSize=1&continuationToken=" + Uri.EscapeDataString(tampered));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("continuation-token", response.Json.GetProperty("errors").GetProperty("continuationToken")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task List_FollowingEveryNextLink_ListsEachInstanceOnce()
    {
        var names = Enumerable.Range(1, 5).Select(i => $"vm{i}").ToArray();
        foreach (var name in names)
        {
            await SubmitAsync(TestRequests.ValidJson(name));
        }

        var seen = new List<string>();
        var next = (string?)(DockerVmRoutes.Collection + "?pageSize=2");
        while (next is not null)
        {
            var page = await CallAsync(r => _api.Handlers.ListAsync(r, _api.Client, default), "GET", DockerVmRoutes.Collection, next[next.IndexOf('?', StringComparison.Ordinal)..]);
            Assert.Equal(200, page.StatusCode);
            seen.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            next = page.Json.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        Assert.Equal(names, seen.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("ten")]
    public async Task List_PageSizeOutOfRange_Returns400ForPageSize(string pageSize)
    {
        var response = await CallAsync(r => _api.Handlers.ListAsync(r, _api.Client, default), "GET", DockerVmRoutes.Collection, "?pageSize=" + pageSize);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("range", response.Json.GetProperty("errors").GetProperty("pageSize")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Delete_UnknownId_Returns404()
    {
        var response = await CallAsync(r => _api.Handlers.DeprovisionAsync(r, "nope", _api.Client, default), "DELETE", "/api/docker-vms/nope");

        Assert.Equal(404, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Delete_StillProvisioning_Returns409AndSchedulesNothing()
    {
        var submitted = await SubmitAsync(TestRequests.ValidJson());
        var id = submitted.Json.GetProperty("id").GetString()!;

        var response = await CallAsync(r => _api.Handlers.DeprovisionAsync(r, id, _api.Client, default), "DELETE", submitted.Location!);

        Assert.Equal(409, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Delete_CompletedInstance_Returns202AndSchedulesDeprovisioning()
    {
        var submitted = await SubmitAsync(TestRequests.ValidJson());
        var id = submitted.Json.GetProperty("id").GetString()!;
        _api.Client.Seed(nameof(ProvisionDockerVm), id, _api.Client.Scheduled[0].Input, OrchestrationRuntimeStatus.Completed,
            new ProvisionDockerVmResult { Succeeded = true, CreatedResourceIds = ["/subscriptions/s/resourceGroups/rg-docker/providers/Microsoft.Compute/virtualMachines/devbox1"] });

        var response = await CallAsync(r => _api.Handlers.DeprovisionAsync(r, id, _api.Client, default), "DELETE", submitted.Location!);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal(submitted.Location, response.Location);
        var deprovision = _api.Client.Scheduled[^1];
        Assert.Equal(nameof(DeprovisionDockerVm), deprovision.Name);
        Assert.Equal(id + DockerVmService.DeprovisionSuffix, deprovision.InstanceId);
        Assert.Equal(deprovision.InstanceId, response.Json.GetProperty("deprovisionInstanceId").GetString());
    }
}
