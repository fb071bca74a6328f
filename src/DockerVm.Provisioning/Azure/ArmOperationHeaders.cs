using System.Globalization;
using System.Text.Json;
using Azure;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Azure;

/// <summary>
/// Reads what an ARM response says about the long-running operation behind it ("Track asynchronous Azure
/// operations", azure-resource-manager/management/async-operations): <c>Azure-AsyncOperation</c> (use it when
/// present), <c>Location</c> (only without it), <c>Retry-After</c> (seconds to wait before checking), and a
/// <c>provisioningState</c> in the body (no value, or Succeeded, Failed, Canceled: the operation has finished).
/// </summary>
internal static class ArmOperationHeaders
{
    public const string AsyncOperation = "Azure-AsyncOperation";

    /// <summary>The operation <paramref name="initial"/> (the response to a PUT or DELETE started with
    /// <c>WaitUntil.Started</c>, as <c>ArmOperation.GetRawResponse()</c> returns it) started on <paramref name="resourceId"/>.</summary>
    public static ArmOperationHandle Handle(string resourceId, Response initial, bool isDelete = false)
    {
        ArgumentNullException.ThrowIfNull(initial);
        var status = Header(initial, AsyncOperation);
        var location = Header(initial, "Location");
        var state = isDelete ? null : BodyProvisioningState(initial);
        var done = (status is null && location is null) || ArmProvisioningStates.IsSucceeded(state);
        return new ArmOperationHandle(resourceId, status, location, RetryAfter(initial), done, isDelete);
    }

    /// <summary>
    /// How long the service asked to wait, as Azure.Core reads it for its own polling (RetryAfterDelayStrategy:
    /// <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, then <c>Retry-After</c> in seconds); an HTTP date is also
    /// accepted (RFC 9110 §10.2.3). Null without a header.
    /// </summary>
    public static TimeSpan? RetryAfter(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if ((Header(response, "retry-after-ms") ?? Header(response, "x-ms-retry-after-ms")) is { } ms
            && int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (Header(response, "Retry-After") is not { } value)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            && response.Headers.Date is { } now
            ? date > now ? date - now : TimeSpan.Zero
            : null;
    }

    /// <summary><c>properties.provisioningState</c> (resource providers) or a top-level one, if the body has either.</summary>
    public static string? BodyProvisioningState(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Content is not { } content || content.ToMemory().IsEmpty)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(content.ToMemory());
            return ProvisioningState(json.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>properties.provisioningState</c>, else a top-level <c>provisioningState</c> (Network's spec
    /// examples such as PublicIpAddressGet.json put it under <c>properties</c>).</summary>
    public static string? ProvisioningState(JsonElement resource)
    {
        if (resource.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (resource.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("provisioningState", out var nested) && nested.ValueKind == JsonValueKind.String)
        {
            return nested.GetString();
        }

        return resource.TryGetProperty("provisioningState", out var top) && top.ValueKind == JsonValueKind.String ? top.GetString() : null;
    }

    private static string? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
