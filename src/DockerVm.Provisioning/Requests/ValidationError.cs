namespace DockerVm.Provisioning.Requests;

/// <summary>One violated rule: <paramref name="Field"/> is the JSON path (camelCase, e.g. <c>allowedSourceCidrs[1]</c>),
/// <paramref name="Rule"/> a stable machine-readable rule id (e.g. <c>cidr-syntax</c>), <paramref name="Message"/> for people.</summary>
public sealed record ValidationError(string Field, string Rule, string Message);
