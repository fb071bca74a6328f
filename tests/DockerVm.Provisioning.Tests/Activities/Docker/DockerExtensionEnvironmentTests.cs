using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Provisioning.Tests.Orchestrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Activities.Docker;

/// <summary>DockerExtension's <c>azure-environment</c>: its handler takes AzureCloud, AzureChinaCloud or empty only
/// (Azure/azure-docker-extension op-enable.go, "invalid environment name").</summary>
[Collection(EmulatorTestGroup.Name)]
public sealed class DockerExtensionEnvironmentTests(EmulatorFixture fixture)
{
    [Theory]
    [InlineData(AzureClouds.AzureCloud, "AzureCloud")]
    [InlineData(AzureClouds.AzureChinaCloud, "AzureChinaCloud")]
    [InlineData(AzureClouds.AzureUSGovernment, "AzureCloud")]
    public void DockerExtensionEnvironment_EachConfiguredCloud_IsAValueTheHandlerAccepts(string cloud, string expected)
    {
        Assert.Equal(expected, StartDockerInstallation.DockerExtensionEnvironment(cloud));
    }

    [Fact]
    public async Task StartDockerInstallation_UsGovernmentCloudWithDockerExtension_InstallSucceeds()
    {
        var emulator = fixture.Emulator;
        emulator.Control.ClearFaults();
        emulator.Control.Durations.VirtualMachine = TimeSpan.Zero;
        emulator.Control.Durations.Extension = TimeSpan.Zero;
        var services = EmulatorClients.Services(emulator);
        var arm = services.GetRequiredService<ArmClient>();
        var secrets = services.GetRequiredService<SecretClient>();
        var context = new TestActivityContext("instance-usgov");
        var vm = await ActivityChain.CreateVmAsync(services, "rg-usgov", "govhost", context.InstanceId);
        var issued = await new IssueDockerCertificates(
            new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance), secrets, NullLogger<IssueDockerCertificates>.Instance)
            .RunAsync(context, new IssueDockerCertificatesInput(vm.Names, vm.VmResourceId, vm.PublicIp.Fqdn, vm.PublicIp.IpAddress, CertificateKeyAlgorithm.EcdsaP256, IncludeLoopback: false, ValidityDays: 7));
        var usGovernment = Options.Create(new AzureOptions { SubscriptionId = emulator.SubscriptionId, Cloud = AzureClouds.AzureUSGovernment });

        var started = await new StartDockerInstallation(arm, secrets, usGovernment, NullLogger<StartDockerInstallation>.Instance).RunAsync(context, new StartDockerInstallationInput(
            vm.VmResourceId, "westeurope", DockerInstaller.DockerExtension, 2376, ["--live-restore"], issued, vm.Tags));
        var state = await PollAsync(new GetArmOperationStatus(arm), context, started.Operation);

        Assert.True(state.IsSucceeded, $"{state.ProvisioningState}: {state.ErrorMessage}");
    }

    private static async Task<ArmOperationState> PollAsync(GetArmOperationStatus poll, TestActivityContext context, ArmOperationHandle operation)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var state = await poll.RunAsync(context, operation);
            if (state.IsTerminal)
            {
                return state;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }
}
