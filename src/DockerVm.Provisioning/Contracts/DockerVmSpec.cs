using DockerVm.Provisioning.Configuration;

namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// A validated request with every default applied: the input of the provisioning orchestration.
/// Holds no secret (an SSH public key is public), so it may appear in orchestration history.
/// </summary>
public sealed record DockerVmSpec
{
    public required string Name { get; init; }

    public required string ResourceGroup { get; init; }

    public required string Location { get; init; }

    public required string VmSize { get; init; }

    public required VmImageReference Image { get; init; }

    public required string AdminUsername { get; init; }

    public required string SshPublicKey { get; init; }

    public required IReadOnlyList<string> AllowedSourceCidrs { get; init; }

    public required int DockerPort { get; init; }

    public required DockerInstaller Installer { get; init; }

    public required IReadOnlyList<string> DaemonOptions { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>Null when the caller asked for no callback.</summary>
    public CallbackTarget? Callback { get; init; }

    public required CertificateKeyAlgorithm KeyAlgorithm { get; init; }

    public required bool IncludeLoopbackInServerCertificate { get; init; }

    public required int CertificateValidityDays { get; init; }

    /// <summary>Idempotency key given by the caller, or null. It names the request, not the host: the instance id
    /// derives from the target only.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The run that owns the target, as claimed in the app's host records when the request was accepted;
    /// null in instances started before runs were claimed (those draw one from the orchestration context).</summary>
    public string? RunId { get; init; }

    /// <summary>The service's workflow timing, taken when the request was accepted, so the orchestration needs no
    /// round trip to read it. Null in instances started before it travelled in the input: those read it through
    /// the <c>GetWorkflowSettings</c> activity, as they did when they started.</summary>
    public WorkflowSettings? Settings { get; init; }
}
