namespace DockerVm.Emulator.Hosting;

/// <summary>Startup options of the local Azure emulator.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Default HTTPS port of the standalone emulator.</summary>
    public const int DefaultPort = 8443;

    /// <summary>HTTPS port on 127.0.0.1; 0 picks a free port (tests, embedding).</summary>
    public int Port { get; set; }

    /// <summary>The one subscription the emulator serves.</summary>
    public string SubscriptionId { get; set; } = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    public string TenantId { get; set; } = "9c2d3a4e-1b5f-4e6a-8d7c-0f1e2d3c4b5a";

    /// <summary>Audience ARM accepts in bearer tokens (no trailing slash, like ArmEnvironment).</summary>
    public string ArmAudience { get; set; } = "https://management.azure.com";

    /// <summary>Audience Key Vault accepts in bearer tokens.</summary>
    public string KeyVaultAudience { get; set; } = "https://vault.azure.net";

    /// <summary>Secret clients send as X-IDENTITY-HEADER (2019-08-01) or secret (2017-09-01); random when null.</summary>
    public string? IdentityHeader { get; set; }

    /// <summary>Written (0600) to this file when set, so that tools read it instead of finding it in a log or a command line.</summary>
    public string? IdentityHeaderPath { get; set; }

    /// <summary>
    /// Secret the control API (<c>/_emulator/...</c> except health) requires in the <c>X-Emulator-Control-Secret</c>
    /// header; random when null.
    /// </summary>
    public string? ControlSecret { get; set; }

    /// <summary>Written (0600) to this file when set.</summary>
    public string? ControlSecretPath { get; set; }

    /// <summary>
    /// Where the emulator keeps its state between runs (resources, operations, public IPs, secrets; emulated daemons
    /// come back from their extensions' settings). In memory only when null. Holds secrets: written 0600.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>Client id of the emulated managed identity (system-assigned when a request names none).</summary>
    public string ManagedIdentityClientId { get; set; } = "5b8f0a4e-6c1d-4f2a-9e3b-7d6c5b4a3f21";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where the TLS certificate PEM is written; a temp file (deleted on dispose) when null.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Azure's default <see cref="NicReservation"/>: the 180 s its NicReservedForAnotherVm error names.</summary>
    public static readonly TimeSpan AzureNicReservation = TimeSpan.FromSeconds(180);

    /// <summary>
    /// How long a NIC stays reserved for its VM after that VM is deleted (deleting the NIC or attaching it to another
    /// VM answers 400 NicReservedForAnotherVm until then). Azure's 180 s by default; tests shorten it, zero turns it off.
    /// Mutable at run time (<see cref="EmulatorControl.NicReservation"/>).
    /// </summary>
    public TimeSpan NicReservation { get; set; } = AzureNicReservation;

    /// <summary>Emulated daemons (the default) or real dockerd in guest sandboxes (<see cref="DockerMode.Real"/>).</summary>
    public DockerMode Docker { get; set; } = DockerMode.Emulated;

    /// <summary>Where real-Docker mode puts its guest sandboxes' directories; the temp directory when null.</summary>
    public string? GuestWorkDirectory { get; set; }

    /// <summary>Simulated long-running operation durations; zero finishes on the first poll.</summary>
    public LroDurations Durations { get; set; } = new();

    /// <summary>The standalone tool's first public IP (the team convention: 127.0.1.0/24 upwards).</summary>
    public const string StandalonePublicIpRangeStart = "127.0.1.1";

    /// <summary>
    /// First address handed to public IPs (loopback, so emulated Docker daemons are reachable; in real-Docker mode an
    /// address of 198.18.0.0/16, see Guest/GuestAddresses.cs). When null, a random 127.x.y.1 (198.18.x.1) block is used,
    /// so emulators embedded side by side (parallel tests) never share daemon addresses.
    /// </summary>
    public string? PublicIpRangeStart { get; set; }

    /// <summary>Items per page in ARM and Key Vault lists (a client's $top/maxresults may lower it).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Retry-After seconds sent with in-progress operation status documents.</summary>
    public int OperationRetryAfterSeconds { get; set; } = 1;

    /// <summary>ARM-like throttling (token buckets per subscription); off when null.</summary>
    public ThrottlingOptions? Throttling { get; set; }

    /// <summary>Latency added to every request (before faults and handlers).</summary>
    public TimeSpan BaseLatency { get; set; }

    /// <summary>How many requests the in-memory request log keeps.</summary>
    public int RequestLogCapacity { get; set; } = 10_000;

    /// <summary>Logging providers; none when null (the standalone tool adds the console).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
