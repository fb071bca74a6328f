namespace DockerVm.Provisioning.Contracts;

/// <summary>A validated callback target. <see cref="SigningKey"/> is a key name, never key material.</summary>
public sealed record CallbackTarget(Uri Url, string? SigningKey);
