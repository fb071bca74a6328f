using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Activities.Docker;

/// <param name="ExtensionResourceId">The extension that ran <see cref="DockerVerifyScript"/> (the CustomScript installer,
/// or the verify-only CustomScript next to DockerExtension).</param>
/// <param name="Fqdn">For logs and messages only: the check itself ran inside the VM against this name.</param>
public sealed record VerifyDockerEndpointInput(string ExtensionResourceId, string Fqdn, int DockerPort);

public sealed record VerifyDockerEndpointOutput(string DockerVersion, string ApiVersion);

/// <summary>
/// Reads the result of the in-VM check (docs/decisions/0002) from the extension's instance view: the
/// <c>DOCKERVM-VERIFY</c> line in the stdout tail the handler reports (Linux CustomScript 2.x puts
/// <c>"\n[stdout]\n{tail}\n[stderr]\n{tail}"</c> into the status message, custom-script-extension-linux main/cmds.go
/// <c>enable()</c>; Windows-style handlers report a <c>ComponentStatus/StdOut/succeeded</c> substatus, read too).
/// The service never connects to the host: the NSG only lets the caller's CIDRs in. A check that failed, or no line
/// at all, is a permanent failure with the check's error code.
/// </summary>
public sealed partial class VerifyDockerEndpoint(ArmClient arm, ILogger<VerifyDockerEndpoint> logger)
    : TaskActivity<VerifyDockerEndpointInput, VerifyDockerEndpointOutput>
{
    public override async Task<VerifyDockerEndpointOutput> RunAsync(TaskActivityContext context, VerifyDockerEndpointInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var view = await AzureErrors.Call(async () =>
        {
            var extension = arm.GetVirtualMachineExtensionResource(new ResourceIdentifier(input.ExtensionResourceId));
            return (await extension.GetAsync(expand: "instanceView")).Value.Data.InstanceView;
        });

        var result = Interpret(view, input);
        LogVerified(logger, context.InstanceId, input.Fqdn, input.DockerPort, result.DockerVersion, result.ApiVersion);
        return result;
    }

    /// <summary>The check's outcome from an instance view; throws <see cref="PermanentProvisioningException"/> on failure.</summary>
    public static VerifyDockerEndpointOutput Interpret(VirtualMachineExtensionInstanceView? view, VerifyDockerEndpointInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outputs = (view?.Substatuses ?? []).Where(s => s.Code?.Contains("StdOut", StringComparison.OrdinalIgnoreCase) == true).Select(s => s.Message)
            .Concat((view?.Statuses ?? []).Select(s => StdoutOf(s.Message)));
        var result = outputs.Select(DockerVerifyScript.FindResult).FirstOrDefault(r => r is not null);
        if (result is null)
        {
            throw new PermanentProvisioningException(
                "DockerVerificationMissing",
                $"The extension {input.ExtensionResourceId} reported no {DockerVerifyScript.Marker} line: the in-VM check of {input.Fqdn}:{input.DockerPort} did not run.");
        }

        if (!result.Succeeded)
        {
            var code = result.Error is { Length: > 0 and <= 64 } error && error.All(char.IsAsciiLetterOrDigit) ? error
                : !result.ClientCertRequired && result.Ping == "OK" ? "DockerClientCertificateNotRequired"
                : "DockerEndpointUnreachable";
            var message = result.Message is { Length: > 300 } long_ ? long_[..300] : result.Message;
            throw new PermanentProvisioningException(code, $"In-VM check of {input.Fqdn}:{input.DockerPort} failed: {message ?? code}.");
        }

        return new VerifyDockerEndpointOutput(result.ServerVersion ?? "", result.ApiVersion!);
    }

    /// <summary>The <c>[stdout]</c> part of a Linux CustomScript status message (the whole message when it has none).</summary>
    private static string? StdoutOf(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var start = message.IndexOf("[stdout]", StringComparison.Ordinal);
        var end = message.IndexOf("[stderr]", StringComparison.Ordinal);
        return start < 0 ? message : end > start ? message[start..end] : message[start..];
    }

    [LoggerMessage(EventId = 2150, Level = LogLevel.Information, Message = "Instance {InstanceId}: Docker endpoint {Fqdn}:{Port} verified from inside the VM, Docker {DockerVersion}, API {ApiVersion}")]
    private static partial void LogVerified(ILogger logger, string instanceId, string fqdn, int port, string dockerVersion, string apiVersion);
}
