using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Compute;
using DockerVm.Emulator.Guest;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>
/// One real Docker host per installer, shared by its checks: the workflow's own activities run against an in-process
/// emulator (ARM, Key Vault) up to the installer's extension PUT, which is recorded; what that PUT carries is then done
/// for real in a guest sandbox, the way the extension's handler does it on a VM. The client set comes from the emulated
/// Key Vault, where <see cref="IssueDockerCertificates"/> wrote it, issued for the sandbox's address.
/// </summary>
public abstract class InstallerFixture : IAsyncLifetime
{
    public const int DockerPort = 2376;
    public const string AdminUsername = "azureuser";

    /// <summary>Where the CustomScript handler keeps the script of sequence number 0 (main/main.go dataDir, cmds.go).</summary>
    public const string CustomScriptDirectory = "/var/lib/waagent/custom-script/download/0";

    private readonly List<(string Phase, TimeSpan Took)> _phases = [];
    private readonly Stopwatch _clock = new();
    private AzureEmulator? _emulator;
    private ServiceProvider? _services;
    private string? _workDirectory;

    protected abstract DockerInstaller Installer { get; }

    protected abstract CertificateKeyAlgorithm KeyAlgorithm { get; }

    /// <summary>Why the checks are skipped on this machine, or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Why the host could not be set up (the install failed): every check fails with it.</summary>
    public Exception? SetupError { get; private set; }

    internal GuestSandbox Sandbox { get; private set; } = null!;

    internal DockerCli Docker { get; private set; } = null!;

    internal CertificateFiles Client { get; private set; } = null!;

    internal CertificateFiles ForeignClient { get; private set; } = null!;

    internal CertificateFiles ServerAsClient { get; private set; } = null!;

    public string Fqdn { get; private set; } = "";

    public IPAddress Address { get; private set; } = IPAddress.None;

    /// <summary>What the handler that carried the in-VM check (DockerVerifyScript) wrote to stdout and stderr.</summary>
    internal GuestCommandResult VerifyRun { get; private set; } = new(-1, "", "");

    public VerifyDockerEndpointInput VerifyInput { get; private set; } = null!;

    /// <summary>The CA and client pair as the vault holds them (for the workflow's own TLS client).</summary>
    public (string Ca, string Certificate, string Key) ClientPem { get; private set; }

    /// <summary>Setup phases and their durations, for the test output.</summary>
    public string Timings => string.Join(", ", _phases.Select(p => $"{p.Phase} {p.Took.TotalSeconds:F1} s"));

    public async Task InitializeAsync()
    {
        SkipReason = RealDockerRequirements.Missing;
        if (SkipReason is not null)
        {
            return;
        }

        await HostState.CaptureBaselineOnceAsync();
        try
        {
            await SetUpAsync();
        }
#pragma warning disable CA1031 // The failure is every check's failure, reported by each of them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SetupError = ex;
        }
    }

    public async Task DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
            HostState.RecordTeardown();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_workDirectory is not null && Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    /// <summary>The check's precondition: skipped where dockerd cannot run, failed when the install failed.</summary>
    public void EnsureReady()
    {
        Skip.If(SkipReason is not null, SkipReason);
        if (SetupError is not null)
        {
            throw new InvalidOperationException($"The {Installer} install did not produce a working Docker host: {SetupError.Message}", SetupError);
        }
    }

    private async Task SetUpAsync()
    {
        _workDirectory = Directory.CreateTempSubdirectory("dockervm-realdocker-").FullName;
        _clock.Start();
        // A managed identity of its own: Azure.Identity caches managed-identity tokens process-wide by client id, and the
        // previous fixture's emulator signed those.
        var identity = Guid.NewGuid().ToString();
        _emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            Port = 0,
            ManagedIdentityClientId = identity,
            Durations = new LroDurations { VirtualMachine = TimeSpan.Zero, Extension = TimeSpan.Zero, Network = TimeSpan.Zero, Delete = TimeSpan.Zero },
            NicReservation = TimeSpan.Zero,
        });
        var recorder = new ExtensionPutRecorder();
        _services = Services(_emulator, identity, recorder);
        var arm = _services.GetRequiredService<ArmClient>();
        var secrets = _services.GetRequiredService<SecretClient>();
        var azure = _services.GetRequiredService<IOptions<AzureOptions>>();
        Phase("emulator");

        var vmName = (Installer == DockerInstaller.CustomScript ? "rdcs" : "rdext") + Guid.NewGuid().ToString("N")[..6];
        var names = new DockerVmResourceNames("rg-realdocker", vmName);
        var instanceId = "realdocker-" + vmName;
        var context = new TestActivityContext(instanceId);
        var tags = WorkflowTags.ForResource(new Dictionary<string, string>(), instanceId);
        await new EnsureResourceGroup(arm, azure).RunAsync(context, new EnsureResourceGroupInput(names.ResourceGroup, "westeurope", tags));
        var nsg = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(context, new CreateNetworkSecurityGroupInput(
            names.ResourceGroup, "westeurope", names.NetworkSecurityGroup, [GuestAddresses.HostRange.ToString()], DockerPort, tags));
        var ip = await new CreatePublicIpAddress(arm, azure).RunAsync(context, new CreatePublicIpAddressInput(names.ResourceGroup, "westeurope", names.PublicIpAddress, names.DnsLabel, tags));
        var vnet = await new CreateVirtualNetwork(arm, azure).RunAsync(context, new CreateVirtualNetworkInput(names.ResourceGroup, "westeurope", names.VirtualNetwork, tags));
        var nic = await new CreateNetworkInterface(arm, azure).RunAsync(context, new CreateNetworkInterfaceInput(
            names.ResourceGroup, "westeurope", names.NetworkInterface, vnet.SubnetId, ip.ResourceId, nsg.ResourceId, tags));
        var vm = await new StartVirtualMachineCreation(arm, azure, NullLogger<StartVirtualMachineCreation>.Instance).RunAsync(context, new StartVirtualMachineCreationInput(
            names.ResourceGroup, "westeurope", vmName, "Standard_B2s", ProvisionRequestValidator.DefaultImage, AdminUsername,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/NMyFOZ9DB+Rzop3WVJF2gdsaqXUCAJy1zi+nh2YGT test@example", nic.ResourceId, names.OsDisk, tags));
        Fqdn = ip.Fqdn;
        Phase("ARM resources");

        // The VM's public IP is the sandbox's address: the server certificate names it, as it would name the real one.
        Sandbox = await BootSandboxAsync(vmName);
        Address = Sandbox.Address;
        Phase("sandbox boot");

        var secretIds = await new IssueDockerCertificates(
                new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance), secrets, NullLogger<IssueDockerCertificates>.Instance)
            .RunAsync(context, new IssueDockerCertificatesInput(names, vm.VmResourceId, Fqdn, Address.ToString(), KeyAlgorithm, IncludeLoopback: false, ValidityDays: 30));
        Phase("certificates into Key Vault");

        await new StartDockerInstallation(arm, secrets, azure, NullLogger<StartDockerInstallation>.Instance).RunAsync(context, new StartDockerInstallationInput(
            vm.VmResourceId, "westeurope", Installer, DockerPort, ProvisionRequestValidator.DefaultDaemonOptions, secretIds, tags, Fqdn));
        var install = recorder.Properties(DockerVmResourceNames.DockerExtension);
        if (Installer == DockerInstaller.CustomScript)
        {
            VerifyRun = await RunCustomScriptAsync(install);
            VerifyInput = new VerifyDockerEndpointInput(vm.VmResourceId + "/extensions/" + DockerVmResourceNames.DockerExtension, Fqdn, DockerPort);
            Phase("CustomScript (install + in-VM check)");
        }
        else
        {
            var script = DockerExtensionHandler.EnableScript(install["settings"] as JsonObject, install["protectedSettings"] as JsonObject, AdminUsername);
            var enable = await Sandbox.RunHandlerScriptAsync("DockerExtension", script, "/var/lib/waagent/Microsoft.Azure.Extensions.DockerExtension/enable", TimeSpan.FromMinutes(5));
            if (!enable.Succeeded)
            {
                throw new InvalidOperationException(
                    $"{DockerExtensionHandler.FailedStatus(LastLine(enable.Stderr))}\n{enable.Stderr}\n{await Sandbox.JournalAsync("docker.service")}");
            }

            Phase("DockerExtension enable");
            await new StartDockerVerification(arm, secrets, NullLogger<StartDockerVerification>.Instance).RunAsync(context, new StartDockerVerificationInput(
                vm.VmResourceId, "westeurope", Fqdn, DockerPort, secretIds, tags));
            VerifyRun = await RunCustomScriptAsync(recorder.Properties(DockerVerifyScript.ExtensionName));
            VerifyInput = new VerifyDockerEndpointInput(vm.VmResourceId + "/extensions/" + DockerVerifyScript.ExtensionName, Fqdn, DockerPort);
            Phase("CustomScript (in-VM check)");
        }

        var ca = (await secrets.GetSecretAsync(names.CaCertificateSecret)).Value.Value;
        var clientCert = (await secrets.GetSecretAsync(names.ClientCertificateSecret)).Value.Value;
        var clientKey = (await secrets.GetSecretAsync(names.ClientKeySecret)).Value.Value;
        ClientPem = (ca, clientCert, clientKey);
        Client = await CertificateFiles.WriteAsync(Path.Combine(_workDirectory, "client"), ca, clientCert, clientKey);
        ServerAsClient = await CertificateFiles.WriteAsync(
            Path.Combine(_workDirectory, "server-as-client"), ca, (await secrets.GetSecretAsync(names.ServerCertificateSecret)).Value.Value,
            (await secrets.GetSecretAsync(names.ServerKeySecret)).Value.Value);
        var foreign = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance)
            .Issue(new DockerTlsIssueRequest(vmName, [Fqdn], [Address], KeyAlgorithm, 30));
        ForeignClient = await CertificateFiles.WriteAsync(Path.Combine(_workDirectory, "foreign"), ca, foreign.ClientCertificatePem, foreign.ClientKeyPem);
        var dockerConfig = Path.Combine(_workDirectory, "docker-config");
        Directory.CreateDirectory(dockerConfig);
        Docker = new DockerCli(new IPEndPoint(Address, DockerPort), dockerConfig);

        var tarball = Path.Combine(_workDirectory, "busybox.tar");
        await BusyboxImage.WriteAsync(tarball);
        var import = await Docker.RunAsync(Client, Client, "import", tarball, BusyboxImage.Name);
        if (!import.Succeeded)
        {
            throw new InvalidOperationException($"docker import failed: {import.Describe()}");
        }

        Phase("client set + docker import");
    }

    private async Task<GuestSandbox> BootSandboxAsync(string vmName)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await GuestSandbox.StartAsync(
                    new GuestSandboxOptions(vmName, GuestAddresses.RandomGuest())
                    {
                        AdminUsername = AdminUsername,
                        DockerdInUsrBin = Installer == DockerInstaller.DockerExtension,
                        WorkDirectory = _workDirectory,
                    },
                    NullLogger.Instance);
            }
            catch (GuestSandboxException ex) when (attempt < 3 && ex.Message.Contains("already in use", StringComparison.Ordinal))
            {
                // Another run took that address; draw again.
            }
        }
    }

    /// <summary>The CustomScript handler's checks and decoding (the emulator's model of it), then the script, unmodified.</summary>
    private async Task<GuestCommandResult> RunCustomScriptAsync(JsonObject properties)
    {
        var script = CustomScriptHandler.ScriptToRun(properties["settings"] as JsonObject, properties["protectedSettings"] as JsonObject)
            ?? throw new InvalidOperationException("The CustomScript settings carry no script.");
        var run = await Sandbox.RunHandlerScriptAsync("CustomScript", script, CustomScriptDirectory, TimeSpan.FromMinutes(5));
        if (!run.Succeeded)
        {
            throw new InvalidOperationException(
                $"{CustomScriptHandler.ExecFailed(run.ExitCode, GuestCommandResult.Tail(run.Stdout, 4096), GuestCommandResult.Tail(run.Stderr, 4096))}\n"
                + $"docker.service journal:\n{await Sandbox.JournalAsync("docker.service")}");
        }

        return run;
    }

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1];

    private void Phase(string name)
    {
        _phases.Add((name, _clock.Elapsed));
        _clock.Restart();
    }

    /// <summary>The production Azure client wiring pointed at the emulator, with the recorder in every client's pipeline.</summary>
    private static ServiceProvider Services(AzureEmulator emulator, string identity, ExtensionPutRecorder recorder)
    {
        foreach (var (key, value) in emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(emulator.ConfigurationValues.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
            .AddInMemoryCollection([KeyValuePair.Create("Azure:ManagedIdentityClientId", (string?)identity)])
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddDockerVmProvisioning();
        services.AddAzureClients(builder => builder.ConfigureDefaults(options => options.AddPolicy(recorder, HttpPipelinePosition.PerCall)));
        return services.BuildServiceProvider();
    }
}
