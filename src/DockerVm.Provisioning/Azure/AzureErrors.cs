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

    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "RetryableError", "InternalServerError", "ServiceUnavailable", "GatewayTimeout", "TooManyRequests",
        "AnotherOperationInProgress", "RetryableErrorDueToAnotherOperation", "OperationPreempted",
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
