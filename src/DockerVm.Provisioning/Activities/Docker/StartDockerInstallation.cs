using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Docker;

public sealed record StartDockerInstallationInput(
    string VmResourceId,
    string Location,
    DockerInstaller Installer,
    int DockerPort,
    IReadOnlyList<string> DaemonOptions,
    DockerSecretIdentifiers Secrets,
    IReadOnlyDictionary<string, string> Tags,
    string? Fqdn = null);

/// <param name="Operation">The extension PUT ARM accepted; the orchestration waits for it.</param>
public sealed record StartDockerInstallationOutput(string ExtensionResourceId, ArmOperationHandle Operation);

/// <summary>
/// Reads the CA and server pair from Key Vault and starts the installer extension with them in
/// <c>protectedSettings</c> only (encrypted by Azure, never returned by GET). Returns once ARM accepted the PUT; the
/// orchestration waits for the operation on durable timers.
/// </summary>
public sealed partial class StartDockerInstallation(ArmClient arm, SecretClient secrets, IOptions<AzureOptions> azure, ILogger<StartDockerInstallation> logger)
    : TaskActivity<StartDockerInstallationInput, StartDockerInstallationOutput>
{
    public override async Task<StartDockerInstallationOutput> RunAsync(TaskActivityContext context, StartDockerInstallationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ca = await KeyVaultPem.ReadAsync(secrets, input.Secrets.CaCertificate);
        var cert = await KeyVaultPem.ReadAsync(secrets, input.Secrets.ServerCertificate);
        var key = await KeyVaultPem.ReadAsync(secrets, input.Secrets.ServerKey);

        var data = new VirtualMachineExtensionData(new AzureLocation(input.Location)) { AutoUpgradeMinorVersion = true };
        if (input.Installer == DockerInstaller.DockerExtension)
        {
            data.Publisher = DockerInstallMaterial.DockerExtensionPublisher;
            data.ExtensionType = DockerInstallMaterial.DockerExtensionType;
            data.TypeHandlerVersion = DockerInstallMaterial.DockerExtensionVersion;
            data.Settings = DockerInstallMaterial.DockerExtensionSettings(input.DockerPort, input.DaemonOptions, DockerExtensionEnvironment(azure.Value.Cloud));
            data.ProtectedSettings = DockerInstallMaterial.DockerExtensionProtectedSettings(ca, cert, key);
        }
        else
        {
            data.Publisher = DockerInstallMaterial.CustomScriptPublisher;
            data.ExtensionType = DockerInstallMaterial.CustomScriptType;
            data.TypeHandlerVersion = DockerInstallMaterial.CustomScriptVersion;
            data.Settings = BinaryData.FromString("{}");
            var script = DockerInstallMaterial.BuildInstallScript(ca, cert, key, input.DockerPort, input.DaemonOptions);
            if (input.Fqdn is { } fqdn)
            {
                // The in-VM check ends the script (docs/decisions/0002); it needs the client pair.
                script += DockerVerifyScript.Section(
                    fqdn, input.DockerPort, ca, await KeyVaultPem.ReadAsync(secrets, input.Secrets.ClientCertificate), await KeyVaultPem.ReadAsync(secrets, input.Secrets.ClientKey));
            }

            data.ProtectedSettings = DockerInstallMaterial.CustomScriptProtectedSettings(script);
        }

        foreach (var (tag, value) in input.Tags)
        {
            data.Tags[tag] = value;
        }

        var operation = await ExtensionPut.StartAsync(arm, input.VmResourceId, DockerVmResourceNames.DockerExtension, data);
        LogStarted(logger, context.InstanceId, input.Installer, input.VmResourceId, input.DockerPort);
        return new StartDockerInstallationOutput(operation.ResourceId, operation);
    }

    /// <summary>
    /// The DockerExtension's <c>azure-environment</c>. Its handler accepts <c>AzureCloud</c>, <c>AzureChinaCloud</c> or
    /// empty and fails on anything else (Azure/azure-docker-extension op-enable.go: <c>invalid environment name</c>); the
    /// value only picks where Docker and docker-compose are downloaded from (mirror.azure.cn in China, get.docker.com and
    /// GitHub otherwise). US Government VMs reach the public endpoints, so they get <c>AzureCloud</c>: the same download
    /// as the empty value, but said explicitly.
    /// </summary>
    public static string DockerExtensionEnvironment(string cloud) =>
        cloud == AzureClouds.AzureChinaCloud ? AzureClouds.AzureChinaCloud : AzureClouds.AzureCloud;

    [LoggerMessage(EventId = 2140, Level = LogLevel.Information, Message = "Instance {InstanceId}: installer {Installer} started on {VmResourceId}, Docker port {DockerPort}")]
    private static partial void LogStarted(ILogger logger, string instanceId, DockerInstaller installer, string vmResourceId, int dockerPort);
}
