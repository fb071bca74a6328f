using System.CommandLine;

namespace DockerVm.Emulator.Hosting;

/// <summary>The standalone tool: `dotnet run --project src/DockerVm.Emulator -- --port 8443`.</summary>
internal static class EmulatorCommand
{
    public static RootCommand Create()
    {
        var port = new Option<int>("--port") { Description = "HTTPS port on 127.0.0.1.", DefaultValueFactory = _ => EmulatorOptions.DefaultPort };
        var certificate = new Option<string>("--cert-path")
        {
            Description = "Where to write the emulator's TLS certificate (PEM); default <repository>/.local/emulator/emulator-cert.pem.",
            DefaultValueFactory = _ => Path.Combine(RepositoryRoot(), ".local", "emulator", "emulator-cert.pem"),
        };
        var subscription = new Option<string?>("--subscription-id") { Description = "Subscription id to serve." };
        var identityHeader = new Option<string?>("--identity-header")
        {
            Description = "IDENTITY_HEADER value (random when omitted). A command line is visible to every local user: prefer the random one, read from --identity-header-path.",
        };
        var identityHeaderPath = new Option<string>("--identity-header-path")
        {
            Description = "File (0600) the IDENTITY_HEADER value is written to; default <repository>/.local/emulator/identity-header.",
            DefaultValueFactory = _ => Path.Combine(RepositoryRoot(), ".local", "emulator", "identity-header"),
        };
        var controlSecretPath = new Option<string>("--control-secret-path")
        {
            Description = "File (0600) the control API secret is written to (a new one every start); default <repository>/.local/emulator/control-secret.",
            DefaultValueFactory = _ => Path.Combine(RepositoryRoot(), ".local", "emulator", "control-secret"),
        };
        var statePath = new Option<string?>("--state-path")
        {
            Description = "Keep resources, operations, public IPs, Key Vault secrets and Docker daemons in this file (0600) across restarts; in memory only when omitted.",
        };
        var audience = new Option<string?>("--arm-audience") { Description = "Token audience ARM accepts (default https://management.azure.com)." };
        var vmSeconds = new Option<double>("--vm-seconds") { Description = "Simulated VM create duration in seconds.", DefaultValueFactory = _ => 3 };
        var extensionSeconds = new Option<double>("--extension-seconds") { Description = "Simulated extension install duration in seconds.", DefaultValueFactory = _ => 2 };
        var networkSeconds = new Option<double>("--network-seconds") { Description = "Simulated network resource duration in seconds.", DefaultValueFactory = _ => 0 };
        var deleteSeconds = new Option<double>("--delete-seconds") { Description = "Simulated delete duration in seconds.", DefaultValueFactory = _ => 1 };
        var nicReservation = new Option<double>("--nic-reservation-seconds")
        {
            Description = "How long a NIC stays reserved (NicReservedForAnotherVm) after its VM is deleted; Azure's is 180.",
            DefaultValueFactory = _ => EmulatorOptions.AzureNicReservation.TotalSeconds,
        };
        var throttle = new Option<bool>("--throttling") { Description = "Enable ARM-like throttling (token buckets per subscription)." };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every request, in milliseconds." };
        var quiet = new Option<bool>("--quiet") { Description = "Log warnings only (by default every request is logged: method, path, status, duration)." };
        var docker = new Option<DockerMode>("--docker")
        {
            Description = "What serves a VM's Docker endpoint: 'emulated' daemons (default) or 'real' dockerd, one guest sandbox per VM "
                + "configured by the VM's extension settings, its public IP in 198.18.0.0/16, its NSG rules as packet filters (needs root and Debian's docker.io).",
            DefaultValueFactory = _ => DockerMode.Emulated,
        };

        var root = new RootCommand("DockerVm local Azure emulator: ARM, Key Vault, managed identity and emulated Docker daemons on HTTPS loopback.")
        {
            port, certificate, subscription, identityHeader, identityHeaderPath, controlSecretPath, statePath, audience, vmSeconds, extensionSeconds, networkSeconds, deleteSeconds, nicReservation, throttle, latency, quiet, docker,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var options = new EmulatorOptions
            {
                Port = parse.GetValue(port),
                CertificatePath = Path.GetFullPath(parse.GetValue(certificate)!),
                IdentityHeader = parse.GetValue(identityHeader),
                IdentityHeaderPath = Path.GetFullPath(parse.GetValue(identityHeaderPath)!),
                ControlSecretPath = Path.GetFullPath(parse.GetValue(controlSecretPath)!),
                StatePath = parse.GetValue(statePath) is { } state ? Path.GetFullPath(state) : null,
                Docker = parse.GetValue(docker),
                PublicIpRangeStart = parse.GetValue(docker) == DockerMode.Real ? Guest.GuestAddresses.StandaloneStart : EmulatorOptions.StandalonePublicIpRangeStart,
                BaseLatency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                Throttling = parse.GetValue(throttle) ? new ThrottlingOptions() : null,
                NicReservation = TimeSpan.FromSeconds(parse.GetValue(nicReservation)),
                Durations = new LroDurations
                {
                    VirtualMachine = TimeSpan.FromSeconds(parse.GetValue(vmSeconds)),
                    Extension = TimeSpan.FromSeconds(parse.GetValue(extensionSeconds)),
                    Network = TimeSpan.FromSeconds(parse.GetValue(networkSeconds)),
                    Delete = TimeSpan.FromSeconds(parse.GetValue(deleteSeconds)),
                    ResourceGroupDelete = TimeSpan.FromSeconds(parse.GetValue(deleteSeconds)),
                },
                ConfigureLogging = logging => logging
                    .AddSimpleConsole(console => console.SingleLine = true)
                    .SetMinimumLevel(parse.GetValue(quiet) ? LogLevel.Warning : LogLevel.Information)
                    .AddFilter("Microsoft", LogLevel.Warning),
            };
            if (parse.GetValue(subscription) is { } subscriptionId)
            {
                options.SubscriptionId = subscriptionId;
            }

            if (parse.GetValue(audience) is { } armAudience)
            {
                options.ArmAudience = armAudience;
            }

            await using var emulator = await AzureEmulator.StartAsync(options, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"DockerVm Azure emulator listening on {emulator.BaseUri}");
            await output.WriteLineAsync($"  ARM endpoint:     {emulator.ArmEndpoint}");
            await output.WriteLineAsync($"  ARM audience:     {emulator.ArmAudience}");
            await output.WriteLineAsync($"  Key Vault URL:    {emulator.VaultUri}");
            await output.WriteLineAsync($"  Subscription id:  {emulator.SubscriptionId}");
            await output.WriteLineAsync($"  Tenant id:        {emulator.TenantId}");
            await output.WriteLineAsync($"  Certificate PEM:  {emulator.CertificatePath}");
            await output.WriteLineAsync($"  Control API:      {emulator.ControlUri} (header {AzureEmulator.ControlSecretHeader}: the value in {options.ControlSecretPath})");
            await output.WriteLineAsync($"  State file:       {emulator.StatePath ?? "none (state in memory only)"}");
            await output.WriteLineAsync(options.Docker == DockerMode.Real
                ? $"  Docker:           real dockerd per VM in a guest sandbox; public IPs from {Guest.GuestAddresses.StandaloneStart}, reached from {Guest.GuestAddresses.HostRange}"
                : "  Docker:           emulated daemons on loopback public IPs");

            // Secrets go to owner-only files, never to the console: this output usually ends up in a log file.
            await output.WriteLineAsync($"IDENTITY_ENDPOINT={emulator.IdentityEndpoint}");
            await output.WriteLineAsync($"IDENTITY_HEADER: the value in {options.IdentityHeaderPath} (export IDENTITY_HEADER=\"$(cat {options.IdentityHeaderPath})\")");
            await output.WriteLineAsync("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }

            return 0;
        });
        return root;
    }

    /// <summary>`dotnet run --project` starts in the project folder; the certificate belongs under the repository's .local/.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DockerVmFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
