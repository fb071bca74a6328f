using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Compute;
using DockerVm.Emulator.Guest;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>
/// One real Docker host per installer, shared by its checks: the workflow's own activities run against an in-process
/// emulator (ARM, Key Vault) up to the installer's extension PUT, which is recorded; what that PUT carries is then done
/// for real in a guest sandbox, the way the extension's handler does it on a VM. The client set comes from the emulated
/// Key Vault, where <see cref="IssueDockerCertificates"/> wrote it, issued for the sandbox's address.
/// </summary>
public abstract class InstallerFixture : IAsyncLifetime
{
    public const int DockerPort = WorkflowDriver.DockerPort;
    public const string AdminUsername = WorkflowDriver.AdminUsername;

    /// <summary>Where the CustomScript handler keeps the script of sequence number 0 (main/main.go dataDir, cmds.go).</summary>
    public const string CustomScriptDirectory = "/var/lib/waagent/custom-script/download/0";

    private readonly List<(string Phase, TimeSpan Took)> _phases = [];
    private readonly Stopwatch _clock = new();
    private WorkflowDriver? _driver;
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

        if (_driver is not null)
        {
            await _driver.DisposeAsync();
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
        _driver = await WorkflowDriver.StartAsync(DockerMode.Emulated);
        Phase("emulator");

        var vmName = (Installer == DockerInstaller.CustomScript ? "rdcs" : "rdext") + Guid.NewGuid().ToString("N")[..6];
        var vm = await _driver.CreateVmAsync(vmName, [GuestAddresses.HostRange.ToString()]);
        Fqdn = vm.Fqdn;
        Phase("ARM resources");

        // The VM's public IP is the sandbox's address: the server certificate names it, as it would name the real one.
        Sandbox = await BootSandboxAsync(vmName);
        Address = Sandbox.Address;
        Phase("sandbox boot");

        var secretIds = await _driver.IssueCertificatesAsync(vm, Address.ToString(), KeyAlgorithm);
        Phase("certificates into Key Vault");

        var installId = await _driver.StartInstallationAsync(vm, Installer, secretIds);
        var install = _driver.Recorder.Properties(DockerVmResourceNames.DockerExtension);
        if (Installer == DockerInstaller.CustomScript)
        {
            VerifyRun = await RunCustomScriptAsync(install);
            VerifyInput = new VerifyDockerEndpointInput(installId, Fqdn, DockerPort);
            Phase("CustomScript (install + in-VM check)");
        }
        else
        {
            var script = DockerExtensionHandler.EnableScript(install["settings"] as JsonObject, install["protectedSettings"] as JsonObject, AdminUsername);
            var enable = await Sandbox.RunHandlerScriptAsync("DockerExtension", script, "/var/lib/waagent/Microsoft.Azure.Extensions.DockerExtension", TimeSpan.FromMinutes(5));
            if (!enable.Succeeded)
            {
                throw new InvalidOperationException(
                    $"{DockerExtensionHandler.FailedStatus(LastLine(enable.Stderr))}\n{enable.Stderr}\n{await Sandbox.JournalAsync("docker.service")}");
            }

            Phase("DockerExtension enable");
            var verifyId = await _driver.StartVerificationAsync(vm, secretIds);
            VerifyRun = await RunCustomScriptAsync(_driver.Recorder.Properties(DockerVerifyScript.ExtensionName));
            VerifyInput = new VerifyDockerEndpointInput(verifyId, Fqdn, DockerPort);
            Phase("CustomScript (in-VM check)");
        }

        var names = vm.Names;
        Client = await _driver.WriteCertificatesAsync(Path.Combine(_workDirectory, "client"), names.CaCertificateSecret, names.ClientCertificateSecret, names.ClientKeySecret);
        ClientPem = (await File.ReadAllTextAsync(Client.Ca), await File.ReadAllTextAsync(Client.Certificate), await File.ReadAllTextAsync(Client.Key));
        ServerAsClient = await _driver.WriteCertificatesAsync(
            Path.Combine(_workDirectory, "server-as-client"), names.CaCertificateSecret, names.ServerCertificateSecret, names.ServerKeySecret);
        var foreign = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance)
            .Issue(new DockerTlsIssueRequest(vmName, [Fqdn], [Address], KeyAlgorithm, 30));
        ForeignClient = await CertificateFiles.WriteAsync(Path.Combine(_workDirectory, "foreign"), ClientPem.Ca, foreign.ClientCertificatePem, foreign.ClientKeyPem);
        Docker = new DockerCli(new IPEndPoint(Address, DockerPort), Path.Combine(_workDirectory, "docker-config"));
        await Docker.ImportBusyboxAsync(Client, _workDirectory);
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
}
