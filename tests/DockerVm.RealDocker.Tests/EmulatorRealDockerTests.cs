using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DockerVm.Emulator.Guest;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning.Contracts;
using DockerVm.RealDocker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DockerVm.RealDocker.Tests;

/// <summary>
/// The emulator's real-Docker mode (<c>--docker real</c>, issue 12 item 2): the workflow's activities talk to the
/// emulator only, and the VM's public IP answers with a real dockerd that the extension's own settings configured, behind
/// packet filters made from the VM's NSG; deleting the VM takes the sandbox away.
/// </summary>
[Collection("3 Emulator real Docker")]
public sealed class EmulatorRealDockerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly Dictionary<DockerCli, CertificateFiles> _clients = [];
    private string _workDirectory = "";

    public Task InitializeAsync()
    {
        _workDirectory = Directory.CreateTempSubdirectory("dockervm-realmode-").FullName;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_workDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task CustomScript_RealDockerMode_WorkflowVerifiesTheDaemonNsgFiltersAndDeleteRemovesIt()
    {
        Skip.If(RealDockerRequirements.Missing is not null, RealDockerRequirements.Missing);
        var clock = Stopwatch.StartNew();
        await using var driver = await WorkflowDriver.StartAsync(DockerMode.Real, _workDirectory);
        var vm = await driver.CreateVmAsync("rdreal" + Guid.NewGuid().ToString("N")[..6], [GuestAddresses.HostRange.ToString()]);
        var secrets = await driver.IssueCertificatesAsync(vm, vm.PublicIp, CertificateKeyAlgorithm.EcdsaP256);

        var extension = await driver.StartInstallationAsync(vm, DockerInstaller.CustomScript, secrets);
        var state = await driver.WaitForExtensionAsync(vm, extension, TimeSpan.FromMinutes(3));
        Assert.True(state.IsSucceeded, $"{state.ProvisioningState}: {state.ErrorMessage}");
        var verified = await driver.VerifyAsync(vm, extension);
        output.WriteLine($"installed and verified in {clock.Elapsed.TotalSeconds:F1} s: Docker {verified.DockerVersion}, API {verified.ApiVersion}");

        var docker = await ClientAsync(driver, vm);
        var version = await Docker(docker, "version", "--format", "{{.Server.Version}}");
        var name = await Docker(docker, "info", "--format", "{{.Name}}");
        var echo = await Docker(docker, "run", "--rm", BusyboxImage.Name, "/bin/busybox", "echo", "hello from the emulated VM");

        Assert.True(GuestAddresses.GuestRange.Contains(IPAddress.Parse(vm.PublicIp)), vm.PublicIp);
        Assert.Equal(verified.DockerVersion, version);
        Assert.Equal(vm.Names.VmName, name);
        Assert.Equal("hello from the emulated VM", echo);

        // The NSG is the packet filter: without the host's range among the callers, connections are dropped; back in, they pass.
        var endpoint = new IPEndPoint(IPAddress.Parse(vm.PublicIp), WorkflowDriver.DockerPort);
        await driver.UpdateNsgAsync(vm, ["203.0.113.0/24"]);
        Assert.True(await EventuallyAsync(async () => !await ConnectsAsync(endpoint)), "the NSG without the caller's range still let a connection through");
        await driver.UpdateNsgAsync(vm, [GuestAddresses.HostRange.ToString()]);
        Assert.True(await EventuallyAsync(() => ConnectsAsync(endpoint)), "the NSG with the caller's range back did not let connections through again");

        await driver.DeleteVmAsync(vm);
        Assert.True(await EventuallyAsync(async () => !await RouteExistsAsync(vm.PublicIp)), "the VM's sandbox (its veth pair and route) outlived the VM");
        output.WriteLine($"whole run {clock.Elapsed.TotalSeconds:F1} s");
    }

    [SkippableFact]
    public async Task DockerExtension_RealDockerMode_VerifyOnlyCustomScriptPassesAndAContainerRuns()
    {
        Skip.If(RealDockerRequirements.Missing is not null, RealDockerRequirements.Missing);
        var clock = Stopwatch.StartNew();
        string address;
        await using (var driver = await WorkflowDriver.StartAsync(DockerMode.Real, _workDirectory))
        {
            var vm = await driver.CreateVmAsync("rdrealx" + Guid.NewGuid().ToString("N")[..6], [GuestAddresses.HostRange.ToString()]);
            address = vm.PublicIp;
            var secrets = await driver.IssueCertificatesAsync(vm, vm.PublicIp, CertificateKeyAlgorithm.EcdsaP256);

            var install = await driver.StartInstallationAsync(vm, DockerInstaller.DockerExtension, secrets);
            var installed = await driver.WaitForExtensionAsync(vm, install, TimeSpan.FromMinutes(3));
            Assert.True(installed.IsSucceeded, $"{installed.ProvisioningState}: {installed.ErrorMessage}");
            var check = await driver.StartVerificationAsync(vm, secrets);
            var checkedState = await driver.WaitForExtensionAsync(vm, check, TimeSpan.FromMinutes(3));
            Assert.True(checkedState.IsSucceeded, $"{checkedState.ProvisioningState}: {checkedState.ErrorMessage}");
            var verified = await driver.VerifyAsync(vm, check);

            var docker = await ClientAsync(driver, vm);
            var echo = await Docker(docker, "run", "--rm", BusyboxImage.Name, "/bin/busybox", "echo", "hello from the DockerExtension's daemon");

            Assert.Equal("hello from the DockerExtension's daemon", echo);
            Assert.Equal(await Docker(docker, "version", "--format", "{{.Server.APIVersion}}"), verified.ApiVersion);
        }

        // The emulator's exit takes every sandbox with it.
        Assert.False(await RouteExistsAsync(address), "a sandbox outlived the emulator");
        output.WriteLine($"whole run {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task<DockerCli> ClientAsync(WorkflowDriver driver, CreatedVm vm)
    {
        var names = vm.Names;
        var client = await driver.WriteCertificatesAsync(Path.Combine(_workDirectory, vm.Names.VmName), names.CaCertificateSecret, names.ClientCertificateSecret, names.ClientKeySecret);
        var docker = new DockerCli(new IPEndPoint(IPAddress.Parse(vm.PublicIp), WorkflowDriver.DockerPort), Path.Combine(_workDirectory, vm.Names.VmName, "docker-config"));
        await docker.ImportBusyboxAsync(client, Path.Combine(_workDirectory, vm.Names.VmName));
        _clients[docker] = client;
        return docker;
    }

    private async Task<string> Docker(DockerCli docker, params string[] arguments)
    {
        var result = await docker.RunAsync(_clients[docker], _clients[docker], arguments);
        Assert.True(result.Succeeded, $"docker {string.Join(' ', arguments)}: {result.Describe()}");
        return result.Stdout.Trim();
    }

    private static async Task<bool> ConnectsAsync(IPEndPoint endpoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> RouteExistsAsync(string address) =>
        (await HostCommand.RunAsync(GuestRequirements.Ip, ["-4", "route", "show", address + "/32"])).Stdout.Trim().Length > 0;

    /// <summary>The filter is loaded after the NSG's operation completes, and a sandbox goes after its VM: both within seconds.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 40; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
