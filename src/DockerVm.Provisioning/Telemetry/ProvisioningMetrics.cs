using System.Diagnostics;
using System.Diagnostics.Metrics;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Telemetry;

/// <summary>
/// The workflow's metrics (meter <see cref="MeterName"/>). Recorded by activities, which run once per attempt, never by
/// orchestrators, which replay. Tags carry outcomes and ARM error codes only: no names, URLs or instance ids.
/// </summary>
public sealed class ProvisioningMetrics
{
    public const string MeterName = "DockerVm.Provisioning";
    public const string ProvisioningCompleted = "dockervm.provisioning.completed";
    public const string ProvisioningDuration = "dockervm.provisioning.duration";
    public const string CallbacksDelivered = "dockervm.callbacks.delivered";
    public const string CallbacksFailed = "dockervm.callbacks.failed";

    private readonly Counter<long> _completed;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _callbacksDelivered;
    private readonly Counter<long> _callbacksFailed;

    public ProvisioningMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _completed = meter.CreateCounter<long>(ProvisioningCompleted, "{provisioning}", "Provisioning runs that ended, by outcome.");
        _duration = meter.CreateHistogram<double>(ProvisioningDuration, "s", "Time from accepting a request to its outcome.");
        _callbacksDelivered = meter.CreateCounter<long>(CallbacksDelivered, "{callback}", "Callbacks the receiver acknowledged with 2xx.");
        _callbacksFailed = meter.CreateCounter<long>(CallbacksFailed, "{callback}", "Callbacks given up on after every retry.");
    }

    /// <summary>One provisioning run ended (<paramref name="errorCode"/> null means it succeeded).</summary>
    public void RecordProvisioningCompleted(string? errorCode, DockerInstaller installer, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "outcome", errorCode is null ? "succeeded" : "failed" },
            { "installer", installer.ToString() },
        };
        if (errorCode is not null)
        {
            tags.Add("error.type", errorCode);
        }

        _completed.Add(1, tags);
        _duration.Record(Math.Max(0, elapsed.TotalSeconds), tags);
    }

    /// <summary>One callback was delivered, or given up on.</summary>
    public void RecordCallback(DockerHostEventType eventType, CallbackDeliveryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var tags = new TagList { { "event", eventType.ToString() } };
        if (result.Delivered)
        {
            _callbacksDelivered.Add(1, tags);
        }
        else
        {
            tags.Add("http.response.status_code", result.LastStatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
            _callbacksFailed.Add(1, tags);
        }
    }
}
