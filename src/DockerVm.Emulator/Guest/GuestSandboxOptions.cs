using System.Net;

namespace DockerVm.Emulator.Guest;

/// <summary>What a guest sandbox (<see cref="GuestSandbox"/>) looks like from outside and inside.</summary>
/// <param name="HostName">The guest's host name (the VM's computer name), as dockerd reports it in <c>docker info</c>.</param>
/// <param name="Address">The guest's address (the VM's public IP), in <see cref="GuestAddresses.GuestRange"/>.</param>
internal sealed record GuestSandboxOptions(string HostName, IPAddress Address)
{
    /// <summary>The VM's admin user, created at boot as the provisioning agent does (the DockerExtension handler adds it
    /// to the docker group); none when null.</summary>
    public string? AdminUsername { get; init; }

    /// <summary>
    /// dockerd at <c>/usr/bin/dockerd</c> and not at <c>/usr/sbin/dockerd</c>, docker.service naming it there: the layout
    /// of Ubuntu's docker.io and of the docker-ce packages get.docker.com installs, which the DockerExtension handler
    /// assumes (pkg/dockeropts/systemd.go writes <c>ExecStart=/usr/bin/dockerd</c>). Off, the guest has Debian's
    /// layout (the host's): <c>/usr/sbin/dockerd</c> only.
    /// </summary>
    public bool DockerdInUsrBin { get; init; }

    /// <summary>Parent of the sandbox's directory (its overlays' upper layers, dockerd's data); the temp directory when null.</summary>
    public string? WorkDirectory { get; init; }

    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
