using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// A caller's request for a Docker host, exactly as it arrives (REST body, queue message or webhook payload).
/// Everything is optional here so that validation can name every missing field at once; the validated,
/// defaulted form that the workflow runs on is <see cref="DockerVmSpec"/>.
/// </summary>
public sealed record ProvisionDockerVmRequest
{
    /// <summary>VM name; also the public IP's DNS label.</summary>
    public string? Name { get; init; }

    public string? ResourceGroup { get; init; }

    public string? Location { get; init; }

    public string? VmSize { get; init; }

    /// <summary>Marketplace image; defaults to the current Ubuntu LTS from Canonical.</summary>
    public VmImageReference? Image { get; init; }

    public string? AdminUsername { get; init; }

    /// <summary>OpenSSH public key: ssh-ed25519, or ssh-rsa of at least 2048 bits (the types Azure accepts). Passwords are never accepted.</summary>
    public string? SshPublicKey { get; init; }

    /// <summary>Who may reach SSH and the Docker port: IPv4 networks or addresses. Required.</summary>
    public IReadOnlyList<string>? AllowedSourceCidrs { get; init; }

    /// <summary>Explicit opt-in needed before <see cref="AllowedSourceCidrs"/> may cover more than one /8 together
    /// (<c>0.0.0.0/0</c>, <c>*</c>, <c>Internet</c>, or narrower networks adding up to more).</summary>
    public bool AllowAnySource { get; init; }

    public int? DockerPort { get; init; }

    public DockerInstaller? Installer { get; init; }

    /// <summary>dockerd flags from an allow-list, added after the hardened defaults (which always apply).</summary>
    public IReadOnlyList<string>? DaemonOptions { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public CallbackRequest? Callback { get; init; }

    public CertificateOptions? Certificates { get; init; }

    /// <summary>A duplicate request with the same key maps to the same orchestration instance.</summary>
    public string? IdempotencyKey { get; init; }
}
