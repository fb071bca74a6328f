using Azure.Storage.Queues.Models;
using DockerVm.Api.Queues;
using DockerVm.Functions.Queues;
using DockerVm.Provisioning.Application;
using DockerVm.Testing;

namespace DockerVm.Functions.Tests.Queues;

/// <summary>The queue door follows the same one-host-one-workflow rules as HTTP: a conflict is final, so it is poisoned.</summary>
public sealed class QueueOwnershipTests : IAsyncLifetime
{
    private readonly ApiTestContext _api = ApiTestContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private Task<QueueRequestOutput> RunAsync(string text) => _api.Create<ProvisionRequestQueueFunction>().RunAsync(
        QueuesModelFactory.QueueMessage("msg-1", "pop-1", BinaryData.FromString(text), 1, insertedOn: DateTimeOffset.UnixEpoch), _api.Client, default);

    [Fact]
    public async Task Run_SameHostUnderAnotherKey_WritesPoisonRecordWithConflictNamingTheInstance()
    {
        var first = TestRequests.Valid("queuebox");
        first["idempotencyKey"] = "q-1";
        var second = TestRequests.Valid("queuebox");
        second["idempotencyKey"] = "q-2";

        await RunAsync(first.ToJsonString());
        var output = await RunAsync(second.ToJsonString());

        var record = QueuePoisonRecord.FromJson(Assert.IsType<string>(output.PoisonMessage))!;
        Assert.Equal(SubmitRejected.Conflict, record.Reason);
        Assert.Contains(Assert.Single(_api.Client.Scheduled).InstanceId, record.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KeyReusedForAnotherHost_WritesPoisonRecordWithIdempotencyKeyReused()
    {
        var first = TestRequests.Valid("queuebox");
        first["idempotencyKey"] = "q-1";
        var second = TestRequests.Valid("otherbox");
        second["idempotencyKey"] = "q-1";

        await RunAsync(first.ToJsonString());
        var output = await RunAsync(second.ToJsonString());

        Assert.Equal(SubmitRejected.IdempotencyKeyReused, QueuePoisonRecord.FromJson(output.PoisonMessage!)!.Reason);
        Assert.Single(_api.Client.Scheduled);
    }
}
