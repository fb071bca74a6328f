namespace DockerVm.Provisioning.Activities.Docker;

/// <summary>The <c>DOCKERVM-VERIFY</c> line of <see cref="DockerVerifyScript"/>: success, or the check's error code and message.</summary>
public sealed record DockerVerifyResult(string? Ping, string? ApiVersion, string? ServerVersion, bool ClientCertRequired, string? Error, string? Message)
{
    public bool Succeeded => Error is null && Ping == "OK" && ClientCertRequired && !string.IsNullOrEmpty(ApiVersion);
}
