using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Application;

/// <summary>Nothing was scheduled. <paramref name="Reason"/> is a stable id (<c>validation-failed</c>,
/// <c>malformed-json</c>); <paramref name="Errors"/> names every violated rule.</summary>
public sealed record SubmitRejected(string Reason, IReadOnlyList<ValidationError> Errors) : SubmitOutcome
{
    public const string ValidationFailed = "validation-failed";
    public const string MalformedJson = "malformed-json";
}
