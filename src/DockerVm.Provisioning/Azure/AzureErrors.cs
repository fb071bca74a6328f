using Azure;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Azure;

/// <summary>Classifies Azure failures into <see cref="TransientProvisioningException"/> (retry) and
/// <see cref="PermanentProvisioningException"/> (fail fast), keeping the ARM error code.</summary>
public static class AzureErrors
{
    /// <summary>ARM codes that come with a retryable status but will not succeed on retry, and codes that come with
    /// 200-wrapped failures (LRO) but are transient.</summary>
    private static readonly HashSet<string> PermanentCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "QuotaExceeded", "OperationNotAllowed", "SkuNotAvailable", "AllocationFailed", "ZonalAllocationFailed",
        "OverconstrainedAllocationRequest", "OverconstrainedZonalAllocationRequest", "InvalidTemplateDeployment",
    };

    /// <summary>
    /// 400 on deleting a NIC (or attaching it elsewhere) for 180 s after the VM that used it was deleted or failed to
    /// create: "Nic(s) in request is reserved for another Virtual Machine for 180 seconds. Please provide another nic(s)
    /// or retry after 180 seconds." (gardenlinux/gardenlinux#4133, Azure/karpenter-provider-azure#92; retried for 180 s
    /// in microsoft/AzureTRE#4511 and rancher/machine#359). It passes by itself, so it is transient; cleanup waits it out
    /// on durable timers (<see cref="IsNicReserved"/>).
    /// </summary>
    public const string NicReservedForAnotherVm = "NicReservedForAnotherVm";

    /// <summary>How long Azure keeps a NIC reserved for a deleted VM (the period its error message names).</summary>
    public static readonly TimeSpan NicReservationPeriod = TimeSpan.FromSeconds(180);

    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "RetryableError", "InternalServerError", "ServiceUnavailable", "GatewayTimeout", "TooManyRequests",
        "AnotherOperationInProgress", "RetryableErrorDueToAnotherOperation", "OperationPreempted", NicReservedForAnotherVm,
    };

    public static ProvisioningException Translate(RequestFailedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = string.IsNullOrEmpty(exception.ErrorCode) ? StatusCode(exception.Status) : exception.ErrorCode;

        // Azure.Core's message appends the raw response (headers, content); the first line is the service's message.
        var message = FirstLine(exception.Message);
        return IsTransient(exception.Status, code)
            ? new TransientProvisioningException(code, message, exception)
            : new PermanentProvisioningException(code, message, exception);
    }

    public static bool IsTransient(int status, string code)
    {
        if (PermanentCodes.Contains(code))
        {
            return false;
        }

        return status is 0 or 408 or 429 or >= 500 || TransientCodes.Contains(code);
    }

    /// <summary>Runs an Azure call, translating its failures; <see cref="IsNotFound"/> cases stay with the caller.</summary>
    public static async Task<T> Call<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientProvisioningException("ConnectionFailed", ex.Message, ex);
        }
        catch (TimeoutException ex)
        {
            throw new TransientProvisioningException("Timeout", ex.Message, ex);
        }
    }

    public static bool IsNotFound(RequestFailedException exception) => exception?.Status == 404;

    /// <summary>The NIC is still reserved for a deleted VM (<see cref="NicReservedForAnotherVm"/>): retry after a while.</summary>
    public static bool IsNicReserved(RequestFailedException exception) =>
        exception is { Status: 400 } && string.Equals(exception.ErrorCode, NicReservedForAnotherVm, StringComparison.OrdinalIgnoreCase);

    /// <summary>The service's own message of <paramref name="exception"/> (Azure.Core appends the raw response to it).</summary>
    public static string ServiceMessage(RequestFailedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return FirstLine(exception.Message);
    }

    private static string StatusCode(int status) => status switch
    {
        0 => "ConnectionFailed",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        _ => $"Http{status}",
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
