using System.Text;
using System.Text.Json;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Tests.Infrastructure;

namespace DockerVm.Provisioning.Tests.Orchestrations;

/// <summary>Private keys and signing secrets exist only inside activities, the vault and protected settings: never in
/// history, custom status, output, callbacks or logs.</summary>
public sealed class SecretsStayOutOfStateTests
{
    private const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Fact]
    public async Task Run_WithRealCertificates_NoPrivateKeyOrSigningSecretInHistoryStatusOutputOrLogs()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        var callbacks = new CallbackOptions();
        callbacks.SigningKeys[CallbackOptions.DefaultSigningKeyName] = SigningSecret;
        await using var host = await WorkflowTestHost.StartAsync(fake, callbacks: callbacks);
        var spec = TestSpecs.Spec();

        var metadata = await host.RunAsync(spec);
        var deprovision = await host.Service.DeprovisionAsync(host.Client, metadata.InstanceId, CancellationToken.None);
        var removal = await host.WaitAsync(Assert.IsType<DeprovisionAccepted>(deprovision).DeprovisionInstanceId);

        // The fakes really handled key material: the installer's protected settings carry the server key.
        var script = Encoding.UTF8.GetString(Convert.FromBase64String(
            JsonDocument.Parse(Assert.Single(fake.ProtectedSettings)).RootElement.GetProperty("script").GetString()!));
        Assert.Contains("PRIVATE KEY", script, StringComparison.Ordinal);

        var observed = new List<string>();
        foreach (var instance in new[] { metadata, removal })
        {
            observed.Add(instance.SerializedInput ?? "");
            observed.Add(instance.SerializedOutput ?? "");
            observed.Add(instance.SerializedCustomStatus ?? "");
            foreach (var historyEvent in await host.Client.GetOrchestrationHistoryAsync(instance.InstanceId))
            {
                observed.Add(JsonSerializer.Serialize(historyEvent, historyEvent.GetType()));
            }
        }

        observed.AddRange(fake.Callbacks.Select(c => JsonSerializer.Serialize(c)));
        observed.AddRange(host.Logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));
        Assert.True(observed.Count > 40, $"only {observed.Count} observations");
        Assert.All(observed, text =>
        {
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain(SigningSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SigningSecret["whsec_".Length..], text, StringComparison.Ordinal);
        });
    }
}
