using System.Text.Json;
using DockerVm.Api.Http;
using DockerVm.LocalHost.Tests.Infrastructure;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Testing;
using Microsoft.DurableTask;

namespace DockerVm.LocalHost.Tests.DurableTask;

/// <summary>
/// The list's continuation tokens with the backend that really produces them (Azure Storage on Azurite behind the
/// sidecar; with Azurite a token is the next partition key in base64, a space and the row key): every token the API hands
/// out is accepted back, and an edited one is refused instead of listing an empty or shifted page.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class ListPagingTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task ListThroughTheApi_OnAzureStorage_NextLinksListEveryInstanceOnceAndAnEditedTokenIs400()
    {
        await using var host = await DurableTestHost.StartAsync(
            fixture.Azurite,
            DurableTestHost.UniqueHubName("list"),
            tasks => tasks.AddOrchestratorFunc<object?, object?>(nameof(ProvisionDockerVm), (_, _) => Task.FromResult<object?>(null)));
        var ids = Enumerable.Range(1, 5).Select(i => $"dockervm-list{i}.rg-list").ToArray();
        foreach (var id in ids)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionDockerVm), new StartOrchestrationOptions(id));
        }

        await using var api = ApiTestContext.Create();
        async Task<(int Status, JsonElement Json)> ListAsync(string query)
        {
            var request = api.Request("GET", DockerVmRoutes.Collection, query: query);
            var outcome = await ApiTestContext.ExecuteAsync(await api.Handlers.ListAsync(request, host.Client, default), request);
            return (outcome.StatusCode, outcome.Json);
        }

        var seen = new List<string>();
        var tokens = new List<string>();
        var query = "?pageSize=2";
        while (query is not null)
        {
            var (status, page) = await ListAsync(query);
            Assert.Equal(200, status);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!));
            if (page.TryGetProperty("next", out var next))
            {
                tokens.Add(page.GetProperty("continuationToken").GetString()!);
                var link = next.GetString()!;
                query = link[link.IndexOf('?', StringComparison.Ordinal)..];
            }
            else
            {
                query = null;
            }
        }

        Assert.Equal(ids, seen.Order(StringComparer.Ordinal));
        Assert.Equal(2, tokens.Count);

        // One character of the backend token changed (the check part kept): refused, not an empty or shifted page.
        var parts = tokens[0].Split('.');
        var edited = $"{parts[0]}.{(parts[1][0] == 'A' ? 'B' : 'A')}{parts[1][1..]}.{parts[2]}";
        var (editedStatus, problem) = await ListAsync("?pageSize=2&continuationToken=" + Uri.EscapeDataString(edited));
        Assert.Equal(400, editedStatus);
        Assert.True(problem.GetProperty("errors").TryGetProperty("continuationToken", out _));
    }
}
