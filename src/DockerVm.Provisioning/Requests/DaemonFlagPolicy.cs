namespace DockerVm.Provisioning.Requests;

/// <summary>Whether a request's <c>daemonOptions</c> may set a dockerd flag.</summary>
internal enum DaemonFlagPolicy
{
    /// <summary>On the allow-list, with a value rule.</summary>
    Allowed,

    /// <summary>Owned by the workflow (listeners, TLS, sockets, paths, hardened defaults) or weakens isolation.</summary>
    Forbidden,

    /// <summary>A real dockerd flag that is not on the allow-list.</summary>
    NotAllowed,
}
