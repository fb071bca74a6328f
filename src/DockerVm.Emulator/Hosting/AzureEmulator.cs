using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Guest;
using DockerVm.Emulator.Identity;
using DockerVm.Emulator.KeyVault;
using DockerVm.Emulator.Network;
using DockerVm.Emulator.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Emulator.Hosting;

/// <summary>
/// A local Azure on one HTTPS loopback port: ARM (resource groups, Microsoft.Network, Microsoft.Compute),
/// Key Vault secrets, the managed-identity token endpoint and emulated Docker daemons. Embeddable:
/// <code>await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { Port = 0 });</code>
/// </summary>
public sealed class AzureEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _serverCertificate;
    private readonly DockerDaemonHost _docker;
    private readonly GuestHost? _guests;
    private readonly Throttler _throttler;
    private readonly TokenService _tokens;
    private readonly StatePersistence? _persistence;
    private readonly ILogger _logger;
    private readonly bool _ownsCertificateFile;
    private readonly CancellationTokenSource _stopping = new();
    private Task _ticker = Task.CompletedTask;

    private AzureEmulator(
        WebApplication app, EmulatorOptions options, X509Certificate2 serverCertificate, string certificatePath, bool ownsCertificateFile,
        string identityHeader, string controlSecret, EmulatorControl control, DockerDaemonHost docker, GuestHost? guests, Throttler throttler, TokenService tokens,
        StatePersistence? persistence, ILogger logger)
    {
        _guests = guests;
        _app = app;
        Options = options;
        _serverCertificate = serverCertificate;
        CertificatePath = certificatePath;
        _ownsCertificateFile = ownsCertificateFile;
        IdentityHeader = identityHeader;
        ControlSecret = controlSecret;
        Control = control;
        _docker = docker;
        _throttler = throttler;
        _tokens = tokens;
        _persistence = persistence;
        _logger = logger;
        CertificatePem = serverCertificate.ExportCertificatePem();
        Certificate = X509CertificateLoader.LoadCertificate(serverCertificate.RawData);
    }

    public EmulatorOptions Options { get; }

    /// <summary>https://127.0.0.1:{port}/ — ARM, Key Vault, identity and control all live here.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>ARM endpoint for <c>ArmEnvironment(endpoint, audience)</c>.</summary>
    public Uri ArmEndpoint => BaseUri;

    /// <summary>Audience for <c>ArmEnvironment</c> (no trailing slash).</summary>
    public string ArmAudience => Options.ArmAudience;

    /// <summary>Vault URL for <c>SecretClient</c> (needs DisableChallengeResourceVerification).</summary>
    public Uri VaultUri => BaseUri;

    /// <summary>Value for IDENTITY_ENDPOINT (and MSI_ENDPOINT).</summary>
    public Uri IdentityEndpoint => new(BaseUri, ManagedIdentityEndpoints.Path.TrimStart('/'));

    /// <summary>Value for IDENTITY_HEADER (and MSI_SECRET).</summary>
    public string IdentityHeader { get; }

    /// <summary>What the control API requires in <see cref="ControlSecretHeader"/> (every endpoint but health).</summary>
    public string ControlSecret { get; }

    /// <summary>Header name of <see cref="ControlSecret"/>.</summary>
    public static string ControlSecretHeader => ControlEndpoints.SecretHeader;

    /// <summary>The state file (<see cref="EmulatorOptions.StatePath"/>), or null when state is kept in memory only.</summary>
    public string? StatePath => _persistence?.Path;

    /// <summary>Control API root (<c>/_emulator/</c>).</summary>
    public Uri ControlUri => new(BaseUri, ControlEndpoints.Prefix.TrimStart('/') + "/");

    public string SubscriptionId => Options.SubscriptionId;

    public string TenantId => Options.TenantId;

    /// <summary>The TLS certificate (public part only): pin exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    /// <summary>Where <see cref="CertificatePem"/> was written.</summary>
    public string CertificatePath { get; }

    public EmulatorControl Control { get; }

    /// <summary>Environment variables that make DefaultAzureCredential use the emulator's identity endpoint.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        ["IDENTITY_ENDPOINT"] = IdentityEndpoint.ToString(),
        ["IDENTITY_HEADER"] = IdentityHeader,
        ["MSI_ENDPOINT"] = IdentityEndpoint.ToString(),
        ["MSI_SECRET"] = IdentityHeader,
    };

    /// <summary>The product's configuration keys pointing at this emulator (Azure:*).</summary>
    public IReadOnlyDictionary<string, string> ConfigurationValues => new Dictionary<string, string>
    {
        ["Azure:SubscriptionId"] = SubscriptionId,
        ["Azure:ResourceManagerEndpoint"] = ArmEndpoint.ToString(),
        ["Azure:ResourceManagerAudience"] = ArmAudience,
        ["Azure:KeyVaultUri"] = VaultUri.ToString(),
        ["Azure:PinnedCertificatePath"] = CertificatePath,
    };

    public static async Task<AzureEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OperationRetryAfterSeconds, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NicReservation, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SubscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ArmAudience);
        if (options.Docker == DockerMode.Real)
        {
            if (GuestRequirements.Missing() is { } missing)
            {
                throw new InvalidOperationException($"Real-Docker mode cannot run here: {missing}.");
            }

            if (options.PublicIpRangeStart is { } first && !GuestAddresses.GuestRange.Contains(System.Net.IPAddress.Parse(first)))
            {
                throw new ArgumentException($"In real-Docker mode public IPs come from {GuestAddresses.GuestRange}; {first} is not in it.", nameof(options));
            }
        }

        var identityHeader = options.IdentityHeader ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var controlSecret = options.ControlSecret ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        ArgumentException.ThrowIfNullOrWhiteSpace(identityHeader, nameof(options.IdentityHeader));
        ArgumentException.ThrowIfNullOrWhiteSpace(controlSecret, nameof(options.ControlSecret));
        var certificate = EmulatorCertificate.Create(options.TimeProvider);
        var ownsFile = options.CertificatePath is null;
        var certificatePath = options.CertificatePath
            ?? Path.Combine(Path.GetTempPath(), $"dockervm-emulator-{Guid.NewGuid():N}", "emulator-cert.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(certificatePath))!);
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem(), cancellationToken);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(AzureEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        builder.Services.AddRoutingCore();

        var app = builder.Build();
        var loggerFactory = app.Services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("DockerVm.Emulator");
        var store = new ResourceStore(options.TimeProvider);
        var faults = new FaultInjector();
        var throttler = new Throttler(options.Throttling);
        var journal = new RequestJournal(options.RequestLogCapacity);
        var docker = new DockerDaemonHost(logger);
        var guests = options.Docker == DockerMode.Real ? new GuestHost(options.GuestWorkDirectory, logger) : null;
        var ipPool = guests is null
            ? new PublicIpPool(options.PublicIpRangeStart ?? PublicIpPool.RandomBlockStart())
            : new PublicIpPool(options.PublicIpRangeStart ?? GuestAddresses.RandomBlockStart(), GuestAddresses.GuestRange);
        var secrets = new SecretStore();
        var tokens = new TokenService(options);
        var runtime = new ArmRuntime(options, store, ipPool, docker, faults, logger, ResourceTypes.All()) { Guests = guests };
        var control = new EmulatorControl(options, store, faults, throttler, journal, docker, ipPool, secrets, logger);

        app.UseEmulatorPipeline(options, journal, faults, throttler, new BearerAuthentication(tokens, options, logger), store, controlSecret, logger);
        app.MapArm(runtime);
        app.MapKeyVault(secrets, options);
        app.MapManagedIdentity(tokens, identityHeader, logger);
        app.MapCloudMetadata(options);
        app.MapControl(control, tokens, identityHeader, logger);
        app.MapFallback(ctx => ArmHttp.WriteErrorAsync(ctx, AzureErrorException.NotFound("NotFound", $"The path '{ctx.Request.Path}' is not served by the emulator.")));

        // Everything a restart must bring back is in place before the first request is served.
        StatePersistence? persistence = null;
        if (options.StatePath is not null)
        {
            persistence = new StatePersistence(options.StatePath, runtime, secrets, logger);
            try
            {
                persistence.Restore();
            }
            catch
            {
                docker.Dispose();
                if (guests is not null)
                {
                    await guests.DisposeAsync();
                }

                throttler.Dispose();
                await app.DisposeAsync();
                throw;
            }
        }

        if (options.IdentityHeaderPath is not null)
        {
            await SecretFile.WriteAsync(options.IdentityHeaderPath, identityHeader, cancellationToken);
        }

        if (options.ControlSecretPath is not null)
        {
            await SecretFile.WriteAsync(options.ControlSecretPath, controlSecret, cancellationToken);
        }

        await app.StartAsync(cancellationToken);
        var emulator = new AzureEmulator(
            app, options, certificate, certificatePath, ownsFile, identityHeader, controlSecret, control, docker, guests, throttler, tokens, persistence, logger);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUri = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
        emulator._ticker = emulator.TickAsync(store);
        Log.Listening(logger, emulator.BaseUri);
        return emulator;
    }

    /// <summary>Issues a token the way the identity endpoint would (for tests and tools); negative lifetime gives an expired one.</summary>
    public string IssueToken(string resource, TimeSpan? lifetime = null) =>
        _tokens.Issue(TokenService.NormalizeAudience(resource), lifetime: lifetime).Token;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _ticker;
        await _app.StopAsync();
        await _app.DisposeAsync();
        await SaveStateAsync(force: true);
        _docker.Dispose();
        if (_guests is not null)
        {
            // Every VM's sandbox: its dockerd stopped, its namespaces, veth pair and directory gone.
            await _guests.DisposeAsync();
        }

        _throttler.Dispose();
        _stopping.Dispose();
        _serverCertificate.Dispose();
        Certificate.Dispose();
        if (_ownsCertificateFile)
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(CertificatePath)!, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is harmless.
            }
        }
    }

    private async Task SaveStateAsync(bool force)
    {
        if (_persistence is null)
        {
            return;
        }

        try
        {
            await _persistence.SaveIfChangedAsync(force, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next change tries again; a full disk must not take the emulator down.
            Log.StateSaveFailed(_logger, _persistence.Path, ex.Message);
        }
    }

    /// <summary>Completes due operations even when nobody polls (so daemons come up on time), and saves the state file.</summary>
    private async Task TickAsync(ResourceStore store)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200), Options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                lock (store.Gate)
                {
                    store.Advance();
                }

                await SaveStateAsync(force: false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
