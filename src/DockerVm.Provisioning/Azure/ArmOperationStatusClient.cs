using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Azure;

/// <summary>
/// One check of a started ARM operation through the <see cref="ArmClient"/>'s own pipeline (its credential, retries
/// of 429/5xx and transport): the operation's <c>Azure-AsyncOperation</c> URL, else its <c>Location</c>, else the
/// resource itself. Azure.ResourceManager 1.7.0 cannot rehydrate an <c>ArmOperation</c> in a later activity (no
/// <c>Rehydrate</c>; its <c>Id</c> throws <see cref="NotImplementedException"/>, measured against the emulator) and
/// exposes its pipeline only to <see cref="ArmResource"/> subclasses, hence this one.
/// </summary>
internal sealed class ArmOperationStatusClient(ArmClient client) : ArmResource(client, ResourceIdentifier.Root)
{
    /// <summary>Longest error message kept (an extension's message carries its stdout/stderr tail).</summary>
    private const int MaxMessageLength = 500;

    public async Task<ArmOperationState> GetAsync(ArmOperationHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.StatusUrl is { } statusUrl)
        {
            return await GetAsync(statusUrl, response => response.Status == 200 ? ReadStatus(response) : throw new RequestFailedException(response), cancellationToken);
        }

        if (handle.ResultUrl is { } resultUrl)
        {
            return await GetAsync(
                resultUrl,
                response => response.Status switch
                {
                    202 => new ArmOperationState("InProgress", null, null, ArmOperationHeaders.RetryAfter(response)),
                    200 or 201 or 204 => new ArmOperationState(ArmProvisioningStates.Succeeded, null, null),
                    404 when handle.IsDelete => new ArmOperationState(ArmProvisioningStates.Succeeded, null, null),
                    _ => throw new RequestFailedException(response),
                },
                cancellationToken);
        }

        try
        {
            var resource = await Client.GetGenericResource(new ResourceIdentifier(handle.ResourceId)).GetAsync(cancellationToken);
            var state = ProvisioningState(resource.Value.Data.Properties) ?? resource.Value.Data.ProvisioningState;

            // A resource still there is a deletion in progress, whatever its state says.
            return new ArmOperationState(handle.IsDelete ? "Deleting" : state ?? ArmProvisioningStates.Succeeded, null, null);
        }
        catch (RequestFailedException ex) when (handle.IsDelete && AzureErrors.IsNotFound(ex))
        {
            return new ArmOperationState(ArmProvisioningStates.Succeeded, null, null);
        }
    }

    private static string? ProvisioningState(BinaryData? properties)
    {
        if (properties is null)
        {
            return null;
        }

        // The generic model keeps a resource's properties as they came: {"provisioningState": …, …}.
        using var json = JsonDocument.Parse(properties.ToMemory());
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("provisioningState", out var state) && state.ValueKind == JsonValueKind.String
            ? state.GetString()
            : null;
    }

    /// <summary>The body of an <c>Azure-AsyncOperation</c> URL: <c>{"status": …, "error": {"code", "message"}}</c>.</summary>
    internal static ArmOperationState ReadStatus(Response response)
    {
        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var root = json.RootElement;
        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "InProgress";
        string? code = null;
        string? message = null;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            message = message is { Length: > MaxMessageLength } ? message[..MaxMessageLength] : message;
        }

        return new ArmOperationState(status, code, message, ArmOperationHeaders.RetryAfter(response));
    }

    /// <summary>GETs an operation URL with the ARM bearer token; only URLs on the ARM endpoint itself qualify, since the
    /// token goes with the request and the URL came from a response kept in orchestration state.</summary>
    private async Task<ArmOperationState> GetAsync(string url, Func<Response, ArmOperationState> read, CancellationToken cancellationToken)
    {
        var uri = new Uri(url, UriKind.Absolute);
        if (uri.Scheme != Uri.UriSchemeHttps || !string.Equals(uri.Authority, Endpoint.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new PermanentProvisioningException("UntrustedOperationUrl", $"The operation URL is not on the ARM endpoint {Endpoint.Authority}.");
        }

        using var message = Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        await Pipeline.SendAsync(message, cancellationToken);
        return read(message.Response);
    }
}
