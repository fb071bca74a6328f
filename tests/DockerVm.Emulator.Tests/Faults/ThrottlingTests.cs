using System.Net;
using System.Net.Http.Headers;
using Azure.ResourceManager.Resources;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Faults;

/// <summary>ARM-like throttling: token buckets per subscription, 429 + Retry-After, remaining-requests headers.</summary>
public sealed class ThrottlingTests
{
    [Fact]
    public async Task ReadBucketEmpty_Answers429WithRetryAfter_SdkStillSucceeds()
    {
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            Throttling = new ThrottlingOptions { ReadCapacity = 3, ReadRefillPerSecond = 0.25, WriteCapacity = 100, WriteRefillPerSecond = 100 },
        });
        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueToken("https://management.azure.com"));

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await http.GetAsync(new Uri($"subscriptions/{emulator.SubscriptionId}?api-version=2022-12-01", UriKind.Relative)));
        }

        var throttled = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.All(throttled, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("2", responses[0].Headers.GetValues("x-ms-ratelimit-remaining-subscription-reads").Single());
        responses.ForEach(r => r.Dispose());

        var subscription = await AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)).GetDefaultSubscriptionAsync();
        var group = (await subscription.GetResourceGroups().CreateOrUpdateAsync(Azure.WaitUntil.Completed, "rg-throttled", new ResourceGroupData(Scenario.Location))).Value;
        Assert.Equal("rg-throttled", group.Data.Name);
    }
}
