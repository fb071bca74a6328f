namespace DockerVm.Api.Http;

/// <summary>One rule a field broke, as it appears under <c>errors</c> in a validation problem.</summary>
public sealed record FieldError(string Rule, string Message);
