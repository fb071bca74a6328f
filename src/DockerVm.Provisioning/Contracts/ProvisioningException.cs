using System.Text.RegularExpressions;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// What an activity throws when Azure (or the Docker endpoint) says no. Durable Task only carries the exception's type
/// name and message to the orchestrator, so the message starts with <c>[ErrorCode]</c>; <see cref="ReadErrorCode"/>
/// reads it back. Messages never contain key material.
/// </summary>
public abstract partial class ProvisioningException : Exception
{
    protected ProvisioningException(string errorCode, string message, Exception? innerException)
        : base($"[{errorCode}] {message}", innerException)
    {
        ErrorCode = errorCode;
    }

    public string ErrorCode { get; }

    /// <summary>The error code carried by a failed activity, or null when the failure is not a <see cref="ProvisioningException"/>.</summary>
    public static string? ReadErrorCode(TaskFailureDetails? failure)
    {
        for (var f = failure; f is not null; f = f.InnerFailure)
        {
            if (f.IsCausedBy<ProvisioningException>() && CodePrefix().Match(f.ErrorMessage) is { Success: true } match)
            {
                return match.Groups["code"].Value;
            }
        }

        return null;
    }

    /// <summary>The message without the <c>[ErrorCode]</c> prefix.</summary>
    public static string ReadMessage(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return CodePrefix().Replace(failure.ErrorMessage, "", 1);
    }

    [GeneratedRegex(@"^\[(?<code>[^\]\s]+)\] ")]
    private static partial Regex CodePrefix();
}
