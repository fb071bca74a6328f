using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using DockerVm.Api.Queues;
using DockerVm.Functions.Queues;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;

namespace DockerVm.Functions.Tests.Queues;

public sealed class ProvisionRequestQueueFunctionTests : IAsyncLifetime
{
    private readonly ApiTestContext _api = ApiTestContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private static QueueMessage Message(string text, long dequeueCount = 1) => QueuesModelFactory.QueueMessage(
        "msg-1", "pop-1", BinaryData.FromString(text), dequeueCount, insertedOn: new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    private Task<QueueRequestOutput> RunAsync(string text) =>
        _api.Create<ProvisionRequestQueueFunction>().RunAsync(Message(text), _api.Client, default);

    [Fact]
    public async Task Run_ValidMessage_SchedulesProvisioningAndWritesNoPoisonRecord()
    {
        var body = TestRequests.Valid("queuebox");
        body["idempotencyKey"] = "q-1";

        var output = await RunAsync(body.ToJsonString());

        Assert.Null(output.PoisonMessage);
        var scheduled = Assert.Single(_api.Client.Scheduled);
        Assert.Equal(nameof(ProvisionDockerVm), scheduled.Name);
        Assert.Equal(InstanceIds.ForTarget("rg-docker", "queuebox"), scheduled.InstanceId);
        Assert.Equal("queuebox", Assert.IsType<DockerVmSpec>(scheduled.Input).Name);
    }

    [Fact]
    public async Task Run_SameMessageTwice_MapsToOneInstance()
    {
        var text = TestRequests.ValidJson("queuebox");

        await RunAsync(text);
        var second = await RunAsync(text);

        Assert.Null(second.PoisonMessage);
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Run_InvalidRequest_WritesPoisonRecordWithEveryErrorAndSchedulesNothing()
    {
        var body = TestRequests.Valid();
        body["allowedSourceCidrs"] = new JsonArray("10.0.0.0/33");
        body["vmSize"] = "huge";

        var output = await RunAsync(body.ToJsonString());

        Assert.Empty(_api.Client.Scheduled);
        var record = QueuePoisonRecord.FromJson(Assert.IsType<string>(output.PoisonMessage))!;
        Assert.Equal(SubmitRejected.ValidationFailed, record.Reason);
        Assert.Contains(record.Errors, e => e.Field == "allowedSourceCidrs[0]");
        Assert.Contains(record.Errors, e => e.Field == "vmSize" && e.Rule == ValidationRules.VmSizeFormat);
        Assert.Equal(body.ToJsonString(), record.OriginalMessage);
        Assert.Equal("msg-1", record.MessageId);
        Assert.Equal(_api.Time.GetUtcNow(), record.RejectedAt);
    }

    [Fact]
    public async Task Run_MalformedJson_WritesPoisonRecordNamingTheJsonError()
    {
        var output = await RunAsync("{\"name\": ");

        Assert.Empty(_api.Client.Scheduled);
        var record = QueuePoisonRecord.FromJson(output.PoisonMessage!)!;
        Assert.Equal(SubmitRejected.MalformedJson, record.Reason);
        Assert.Equal("json-syntax", Assert.Single(record.Errors).Rule);
    }

    [Fact]
    public async Task Run_PrivateKeyAsSshPublicKey_PoisonRecordWithoutTheKeyButWithTheHash()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();
        var body = TestRequests.Valid();
        body["sshPublicKey"] = key;
        var text = body.ToJsonString();

        var output = await RunAsync(text);

        Assert.Empty(_api.Client.Scheduled);
        var poison = Assert.IsType<string>(output.PoisonMessage);
        Assert.DoesNotContain("PRIVATE KEY", poison, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Split('\n')[1], poison, StringComparison.Ordinal);
        var record = QueuePoisonRecord.FromJson(poison)!;
        Assert.Equal(ValidationRules.SshKeyPrivateKey, Assert.Single(record.Errors).Rule);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), record.OriginalMessageSha256);
        Assert.Equal(["$.sshPublicKey"], record.Redactions);
    }

    [Theory]
    [InlineData("bogus", "1", "unknown-field")]
    [InlineData("Name", "\"queuebox\"", "unknown-field")]
    [InlineData("dockerPort", "\"2377\"", "json-syntax")]
    public async Task Run_MessageOutsideTheContract_PoisonedNamingTheFieldLikeHttp(string field, string value, string rule)
    {
        var body = TestRequests.Valid();
        body[field] = JsonNode.Parse(value);

        var output = await RunAsync(body.ToJsonString());

        Assert.Empty(_api.Client.Scheduled);
        var record = QueuePoisonRecord.FromJson(output.PoisonMessage!)!;
        Assert.Equal(SubmitRejected.MalformedJson, record.Reason);
        var error = Assert.Single(record.Errors);
        Assert.Equal((field, rule), (error.Field, error.Rule));
    }

    [Fact]
    public async Task Run_TaskHubUnavailable_ThrowsSoTheQueueRetries()
    {
        _api.Client.FailWith = new InvalidOperationException("task hub unavailable");

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(TestRequests.ValidJson()));
    }
}
