namespace DockerVm.Benchmarks;

/// <summary>What the emulator's long-running operations take, and the matching workflow settings.</summary>
internal enum ArmProfile
{
    /// <summary>Azure-like: VM 90 s, extension 60 s, network resources 5 s, deletions 10 s; the settings Azure runs with
    /// (the defaults: PollInterval 15 s).</summary>
    Azure,

    /// <summary>What <c>./run.sh</c> starts: VM 3 s, extension 2 s, network instant, deletions 1 s; the local settings
    /// (<c>local.settings.sample.json</c>: PollInterval 1 s).</summary>
    Local,
}
