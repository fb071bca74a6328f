namespace DockerVm.Emulator.Identity;

/// <summary>The outcome of validating a bearer token.</summary>
internal sealed record TokenValidation(TokenCheck Result, string? Audience = null, DateTimeOffset? ExpiresOn = null);
