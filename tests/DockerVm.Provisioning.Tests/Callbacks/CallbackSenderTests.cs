using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace DockerVm.Provisioning.Tests.Callbacks;

public sealed class CallbackSenderTests : IDisposable
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string PartnerSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static readonly DockerHostEvent Provisioned = new()
    {
        Type = DockerHostEventType.Provisioned,
        InstanceId = "dockervm-vm1.rg",
        OccurredAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
        VmResourceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
        Fqdn = "vm1.westeurope.cloudapp.azure.com",
        PublicIpAddress = "20.61.1.2",
        DockerHost = "tcp://vm1.westeurope.cloudapp.azure.com:2376",
        CaCertificateSecretUri = new Uri("https://kv.vault.azure.net/secrets/vm1-docker-ca/1"),
        ClientCertificateSecretUri = new Uri("https://kv.vault.azure.net/secrets/vm1-docker-client-cert/1"),
        ClientKeySecretUri = new Uri("https://kv.vault.azure.net/secrets/vm1-docker-client-key/1"),
    };

    private readonly TestReceiver _receiver = new();
    private readonly FakeLogCollector _logs = new();
    private readonly List<TimeSpan> _waits = [];
    private ServiceProvider? _provider;

    public void Dispose()
    {
        _provider?.Dispose();
        _receiver.Dispose();
    }

    private ICallbackSender CreateSender(int maxAttempts = 3, IHostAddressResolver? resolver = null, params string[] allowedLocalHosts)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Callbacks:SigningKeys:default"] = Secret,
            ["Callbacks:SigningKeys:partner"] = PartnerSecret,
            ["Callbacks:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Callbacks:InitialBackoff"] = "00:00:00.010",
            ["Callbacks:MaxBackoff"] = "00:00:02",
            ["Callbacks:AttemptTimeout"] = "00:00:05",
            ["Callbacks:Source"] = "/dockervmfunctions/test",
        };
        _provider?.Dispose();
        var hosts = allowedLocalHosts.Length == 0 ? ["127.0.0.1"] : allowedLocalHosts;
        for (var i = 0; i < hosts.Length; i++)
        {
            settings[$"Callbacks:AllowedLocalHosts:{i}"] = hosts[i];
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging(b => b.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Debug));
        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        _provider = services.AddDockerVmCallbacks().BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return _provider.GetRequiredService<ICallbackSender>();
    }

    private CallbackTarget Target(string? key = null) => new(_receiver.Url, key);

    /// <summary>Delivers as the orchestrations do (<see cref="CallbackRetry"/>: one sender call per attempt), but
    /// records each wait instead of taking it.</summary>
    private Task<CallbackDeliveryResult> DeliverAsync(ICallbackSender sender, CallbackTarget target, DockerHostEvent hostEvent) =>
        CallbackRetry.RunAsync(
            attempt => sender.SendAsync(target, hostEvent, attempt, CancellationToken.None),
            delay =>
            {
                _waits.Add(delay);
                return Task.CompletedTask;
            });

    [Fact]
    public async Task SendAsync_LocalReceiver_DeliversSignedCloudEventThatVerifies()
    {
        var result = await DeliverAsync(CreateSender(), Target(), Provisioned);

        Assert.Equal(new CallbackDeliveryResult(true, 1, 200, null), result);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/cloudevents+json", request.ContentType, StringComparison.Ordinal);
        new StandardWebhook(Secret).Verify(request.Body, request.Headers);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("com.dockervmfunctions.dockerhost.provisioned", root.GetProperty("type").GetString());
        Assert.Equal("/dockervmfunctions/test", root.GetProperty("source").GetString());
        Assert.Equal("dockervm-vm1.rg", root.GetProperty("subject").GetString());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());
        Assert.Equal(request.Headers["webhook-id"].ToString(), root.GetProperty("id").GetString());
        Assert.True(root.TryGetProperty("time", out _));
        var data = root.GetProperty("data");
        Assert.Equal(Provisioned.VmResourceId, data.GetProperty("vmResourceId").GetString());
        Assert.Equal(Provisioned.Fqdn, data.GetProperty("fqdn").GetString());
        Assert.Equal("20.61.1.2", data.GetProperty("publicIpAddress").GetString());
        Assert.Equal(Provisioned.DockerHost, data.GetProperty("dockerHost").GetString());
        Assert.Equal(Provisioned.ClientKeySecretUri!.ToString(), data.GetProperty("clientKeySecretUri").GetString());
        Assert.False(data.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task SendAsync_NamedSigningKey_SignsWithThatKeyOnly()
    {
        await DeliverAsync(CreateSender(), Target("partner"), Provisioned);

        var request = Assert.Single(_receiver.Requests);
        new StandardWebhook(PartnerSecret).Verify(request.Body, request.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Secret).Verify(request.Body, request.Headers));
    }

    [Fact]
    public async Task SendAsync_ServerErrorThenSuccess_RetriesWithSameIdAndFreshSignature()
    {
        _receiver.Respond(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable);

        var result = await DeliverAsync(CreateSender(), Target(), Provisioned);

        Assert.Equal(new CallbackDeliveryResult(true, 3, 200, null), result);
        var requests = _receiver.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.Single(requests.Select(r => r.Headers["webhook-id"].ToString()).Distinct());
        Assert.Single(requests.Select(r => r.Body).Distinct());
        Assert.All(requests, r => new StandardWebhook(Secret).Verify(r.Body, r.Headers));
    }

    [Fact]
    public async Task SendAsync_SameEventTwice_SameEventIdSoReceiversCanDedupe()
    {
        var sender = CreateSender();
        await DeliverAsync(sender, Target(), Provisioned);
        await DeliverAsync(sender, Target(), Provisioned);
        await DeliverAsync(sender, Target(), Provisioned with { Type = DockerHostEventType.Deprovisioned });
        await DeliverAsync(sender, Target(), Provisioned with { ExecutionId = "run-2" });

        var ids = _receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()).ToArray();
        Assert.Equal(4, ids.Length);
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
        Assert.NotEqual(ids[0], ids[3]);
    }

    [Fact]
    public async Task SendAsync_OccurredAtGiven_IsTheCloudEventTime()
    {
        var occurred = new DateTimeOffset(2026, 11, 27, 10, 11, 12, TimeSpan.Zero);

        await DeliverAsync(CreateSender(), Target(), Provisioned with { OccurredAt = occurred });

        var cloudEvent = DockerHostCloudEvents.Decode(System.Text.Encoding.UTF8.GetBytes(Assert.Single(_receiver.Requests).Body));
        Assert.Equal(occurred, cloudEvent.Time);
        Assert.Equal("dockervm-vm1.rg", cloudEvent.Subject);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Gone)]
    public async Task SendAsync_ClientError_NotRetried(HttpStatusCode status)
    {
        _receiver.Respond(status, status, status);

        var result = await DeliverAsync(CreateSender(), Target(), Provisioned);

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Equal((int)status, result.LastStatusCode);
        Assert.Single(_receiver.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task SendAsync_TimeoutOrThrottled_Retried(HttpStatusCode status)
    {
        _receiver.Respond(status);

        var result = await DeliverAsync(CreateSender(), Target(), Provisioned);

        Assert.Equal(new CallbackDeliveryResult(true, 2, 200, null), result);
    }

    [Fact]
    public async Task SendAsync_RetryAfter_WaitsAsAsked()
    {
        _receiver.RespondWithRetryAfter(HttpStatusCode.TooManyRequests, 1);

        var result = await DeliverAsync(CreateSender(), Target(), Provisioned);

        Assert.True(result.Delivered);
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], _waits);
    }

    [Fact]
    public async Task SendAsync_TransientFailure_MakesOneRequestAndAsksForTheBackoffInsteadOfWaiting()
    {
        _receiver.Respond(HttpStatusCode.ServiceUnavailable);

        var result = await CreateSender().SendAsync(Target(), Provisioned, attempt: 1, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(TimeSpan.FromMilliseconds(10), result.RetryAfter);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_LastAllowedAttemptFails_IsFinal()
    {
        _receiver.Respond(HttpStatusCode.ServiceUnavailable);

        var result = await CreateSender(maxAttempts: 3).SendAsync(Target(), Provisioned, attempt: 3, CancellationToken.None);

        Assert.Equal(new CallbackAttemptResult(false, 3, 503, "receiver answered 503 Service Unavailable", RetryAfter: null), result);
    }

    [Fact]
    public async Task SendAsync_DeadReceiver_BackoffDoublesBetweenAttempts()
    {
        var deadUrl = new Uri($"http://127.0.0.1:{TestReceiver.FreePort()}/hook");

        await DeliverAsync(CreateSender(maxAttempts: 4), new CallbackTarget(deadUrl, null), Provisioned);

        Assert.Equal([TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)], _waits);
    }

    [Fact]
    public async Task SendAsync_ReceiverKeepsFailing_ReportsAllAttemptsWithoutThrowing()
    {
        _receiver.Respond(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError);

        var result = await DeliverAsync(CreateSender(), Target(), Provisioned);

        Assert.Equal(new CallbackDeliveryResult(false, 3, 500, "receiver answered 500 Internal Server Error"), result);
    }

    [Fact]
    public async Task SendAsync_DeadReceiver_NotDeliveredAndAttemptsCounted()
    {
        var deadUrl = new Uri($"http://127.0.0.1:{TestReceiver.FreePort()}/hook");

        var result = await DeliverAsync(CreateSender(maxAttempts: 4), new CallbackTarget(deadUrl, null), Provisioned);

        Assert.False(result.Delivered);
        Assert.Equal(4, result.Attempts);
        Assert.Null(result.LastStatusCode);
        Assert.StartsWith("no response", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LoopbackNotAllowlisted_RefusedWithoutAnyRequest()
    {
        var result = await DeliverAsync(CreateSender(3, null, "callbacks.example.com"), new CallbackTarget(new Uri($"https://127.0.0.1:{_receiver.Port}/hook"), null), Provisioned);

        Assert.False(result.Delivered);
        Assert.Contains("loopback", result.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_NameResolvingToLoopbackAtConnect_RefusedBeforeAnyByteIsSent()
    {
        // The name is checked where it is resolved for the connection, so a DNS answer cannot change after the check.
        var resolver = new FakeResolver { ["rebind.example"] = [[IPAddress.Loopback]] };
        var sender = CreateSender(3, resolver, "callbacks.example.com");

        var result = await DeliverAsync(sender, new CallbackTarget(new Uri($"https://rebind.example:{_receiver.Port}/"), null), Provisioned);

        Assert.False(result.Delivered);
        Assert.Contains("refused", result.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_UnknownSigningKey_NotSentAndSecretsNeverLogged()
    {
        var result = await DeliverAsync(CreateSender(), Target("nobody"), Provisioned);
        await DeliverAsync(CreateSender(), Target(), Provisioned);

        Assert.False(result.Delivered);
        Assert.Equal(0, result.Attempts);
        Assert.Contains("nobody", result.Error, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.GetSnapshot());
        Assert.All(_logs.GetSnapshot(), r =>
        {
            Assert.DoesNotContain(Secret["whsec_".Length..], r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("token=abc", r.Message, StringComparison.Ordinal);
        });
        Assert.All(_logs.GetSnapshot(), r => Assert.InRange(r.Id.Id, 1200, 1299));
    }

    [Fact]
    public async Task SendAsync_FailedEventWithPemInError_PayloadNeverCarriesKeyMaterial()
    {
        var failed = new DockerHostEvent
        {
            Type = DockerHostEventType.Failed,
            InstanceId = "dockervm-vm1.rg",
            OccurredAt = DateTimeOffset.UnixEpoch,
            ErrorCode = "ExtensionFailed",
            ErrorMessage = "script failed near -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----",
        };

        await DeliverAsync(CreateSender(), Target(), failed);
        await DeliverAsync(CreateSender(), Target(), Provisioned);

        var requests = _receiver.Requests.ToArray();
        Assert.All(requests, r => Assert.DoesNotContain("PRIVATE KEY", r.Body, StringComparison.Ordinal));
        Assert.All(requests, r => Assert.DoesNotContain("MIGHAgEAMBMGByqGSM49", r.Body, StringComparison.Ordinal));
        using var json = JsonDocument.Parse(requests[0].Body);
        Assert.Equal("com.dockervmfunctions.dockerhost.failed", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("ExtensionFailed", json.RootElement.GetProperty("data").GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void AddDockerVmCallbacks_BadSigningKey_FailsOptionsValidationWithoutEchoingIt()
    {
        const string Bad = "not-base64-secret!";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Callbacks:SigningKeys:default"] = Bad }).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddDockerVmCallbacks().BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CallbackOptions>>().Value);

        Assert.Contains("Callbacks:SigningKeys:default", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Bad, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDockerVmCallbacks_Configuration_BindsListsAndDictionaries()
    {
        CreateSender(3, null, "localhost", "127.0.0.1");
        var options = _provider!.GetRequiredService<IOptions<CallbackOptions>>().Value;

        Assert.Equal(["localhost", "127.0.0.1"], options.AllowedLocalHosts);
        Assert.Equal(Secret, options.SigningKeys["DEFAULT"]);
        Assert.Equal("/dockervmfunctions/test", options.Source);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.InitialBackoff);
    }
}
