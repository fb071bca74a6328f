using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Activities.Docker;

public sealed record StartDockerVerificationInput(
    string VmResourceId,
    string Location,
    string Fqdn,
    int DockerPort,
    DockerSecretIdentifiers Secrets,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// For the DockerExtension installer, which cannot run our check: puts a CustomScript extension whose script is only
/// <see cref="DockerVerifyScript"/> (a VM may carry both handler types, one CustomScript each). The CA and client pair
/// go into <c>protectedSettings</c> only. Returns once ARM accepted the PUT; the orchestration waits for it and
/// then reads the result with <see cref="VerifyDockerEndpoint"/>.
/// </summary>
public sealed partial class StartDockerVerification(ArmClient arm, SecretClient secrets, ILogger<StartDockerVerification> logger)
    : TaskActivity<StartDockerVerificationInput, StartDockerInstallationOutput>
{
    public override async Task<StartDockerInstallationOutput> RunAsync(TaskActivityContext context, StartDockerVerificationInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ca = await KeyVaultPem.ReadAsync(secrets, input.Secrets.CaCertificate);
        var cert = await KeyVaultPem.ReadAsync(secrets, input.Secrets.ClientCertificate);
        var key = await KeyVaultPem.ReadAsync(secrets, input.Secrets.ClientKey);
        var data = new VirtualMachineExtensionData(new AzureLocation(input.Location))
        {
            AutoUpgradeMinorVersion = true,
            Publisher = DockerInstallMaterial.CustomScriptPublisher,
            ExtensionType = DockerInstallMaterial.CustomScriptType,
            TypeHandlerVersion = DockerInstallMaterial.CustomScriptVersion,
            Settings = BinaryData.FromString("{}"),
            ProtectedSettings = DockerInstallMaterial.CustomScriptProtectedSettings(DockerVerifyScript.Standalone(input.Fqdn, input.DockerPort, ca, cert, key)),
        };
        foreach (var (tag, value) in input.Tags)
        {
            data.Tags[tag] = value;
        }

        var operation = await ExtensionPut.StartAsync(arm, input.VmResourceId, DockerVerifyScript.ExtensionName, data);
        LogStarted(logger, context.InstanceId, input.VmResourceId, input.DockerPort);
        return new StartDockerInstallationOutput(operation.ResourceId, operation);
    }

    [LoggerMessage(EventId = 2151, Level = LogLevel.Information, Message = "Instance {InstanceId}: in-VM Docker check started on {VmResourceId}, Docker port {DockerPort}")]
    private static partial void LogStarted(ILogger logger, string instanceId, string vmResourceId, int dockerPort);
}
