using System.Net;
using System.Text.Json.Nodes;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

/// <summary>
/// One Docker host, one workflow, under real concurrency: parallel HTTP requests against the local stack (the local
/// host over Azurite's task hub and tables), counted with the emulator's request journal once the runs are terminal.
/// </summary>
[Collection(LocalStackCollectionDefinition.Name)]
public sealed class ConcurrencyTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HttpSubmit_TwentyParallelUnderOneKey_ExactlyOneNewAndNineteenDuplicatesWithTheSameLocation()
    {
        var name = Stack.NewVmName("par");
        var request = Stack.NewRequest(name, withCallback: false);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Stack.SubmitAsync(request.DeepClone().AsObject(), "key-" + name))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Accepted);
        Assert.Equal(19, answers.Count(a => a.Status == HttpStatusCode.OK && Duplicate(a.Body)));
        Assert.Single(answers.Select(a => a.Location?.ToString()).Distinct());
        var id = answers[0].Id!;
        await Stack.WaitForStateAsync(id, Timeout, "succeeded");
        Assert.Equal(1, Stack.RequestsTo("PUT", $"/virtualMachines/{name}"));
    }

    [Fact]
    public async Task HttpSubmit_TwentyParallelForOneHostUnderDifferentKeys_OneRunOneVmAndNineteenConflictsNamingIt()
    {
        var name = Stack.NewVmName("keys");
        var request = Stack.NewRequest(name, withCallback: false);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Stack.SubmitAsync(request.DeepClone().AsObject(), $"key-{i}-{name}"))));

        var accepted = Assert.Single(answers, a => a.Status == HttpStatusCode.Accepted);
        var conflicts = answers.Where(a => a.Status == HttpStatusCode.Conflict).ToList();
        Assert.Equal(19, conflicts.Count);
        Assert.All(conflicts, c => Assert.Equal(accepted.Id, JsonNode.Parse(c.Body)!["instanceId"]!.GetValue<string>()));
        var done = await Stack.WaitForStateAsync(accepted.Id!, Timeout, "succeeded");
        Assert.Equal(1, Stack.RequestsTo("PUT", $"/virtualMachines/{name}"));

        // The one succeeded status points at a host that exists and answers with its own certificate.
        await Stack.AssertDockerAcceptsOnlyIssuedCertificateAsync(done);
    }

    [Fact]
    public async Task HttpDelete_TenParallel_ExactlyOneSchedulesAndANewRequestAfterwardsStartsANewRun()
    {
        var name = Stack.NewVmName("del");
        var request = Stack.NewRequest(name, withCallback: false);
        var first = await Stack.SubmitAsync(request, "key-" + name);
        Assert.True(first.Status == HttpStatusCode.Accepted, first.Body);
        await Stack.WaitForStateAsync(first.Id!, Timeout, "succeeded");

        var deletions = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            using var response = await Stack.Api.DeleteAsync(new Uri($"docker-vms/{first.Id}", UriKind.Relative));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })));

        Assert.All(deletions, d => Assert.Equal(HttpStatusCode.Accepted, d.StatusCode));
        Assert.Single(deletions, d => !Duplicate(d.Body));
        await Stack.WaitForStateAsync(first.Id!, Timeout, "deprovisioned");
        Assert.Equal(1, Stack.RequestsTo("DELETE", $"/virtualMachines/{name}"));

        // After a deprovisioning, a repeat of the first request is its duplicate; a new request takes the name again.
        var repeat = await Stack.SubmitAsync(request.DeepClone().AsObject(), "key-" + name);
        var again = await Stack.SubmitAsync(request.DeepClone().AsObject(), "second-key-" + name);
        Assert.Equal(HttpStatusCode.OK, repeat.Status);
        Assert.True(again.Status == HttpStatusCode.Accepted, again.Body);
        Assert.Equal(first.Id, again.Id);
        await Stack.WaitForStateAsync(again.Id!, Timeout, "succeeded");
        Assert.Equal(2, Stack.RequestsTo("PUT", $"/virtualMachines/{name}"));
    }

    private static bool Duplicate(string body) => JsonNode.Parse(body)?["duplicate"]?.GetValue<bool>() == true;
}
