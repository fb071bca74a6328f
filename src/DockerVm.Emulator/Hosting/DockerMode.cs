namespace DockerVm.Emulator.Hosting;

/// <summary>What answers on a VM's Docker endpoint once an installer extension succeeded.</summary>
public enum DockerMode
{
    /// <summary>An emulated daemon on the VM's loopback public IP (fast, no root needed): Docker/EmulatedDockerDaemon.cs.</summary>
    Emulated,

    /// <summary>
    /// A real dockerd (Debian's docker.io) in a guest sandbox per VM (Guest/GuestSandbox.cs), configured by running the
    /// extension's actual settings the way its handler does; the VM's public IP is the sandbox's address and its NSG
    /// rules are packet filters inside the sandbox. Needs root and the packages of scripts/install-debian-packages.sh.
    /// </summary>
    Real,
}
