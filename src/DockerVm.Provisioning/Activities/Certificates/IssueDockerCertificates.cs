using System.Net;
using Azure;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Activities.Certificates;

/// <param name="Names">Derived from the VM; names the five secrets.</param>
/// <param name="VmResourceId">The VM's ARM id; every secret is tagged with its short form (<c>IssueDockerCertificates.VmTagValue</c>).</param>
public sealed record IssueDockerCertificatesInput(
    DockerVmResourceNames Names,
    string VmResourceId,
    string Fqdn,
    string PublicIpAddress,
    CertificateKeyAlgorithm KeyAlgorithm,
    bool IncludeLoopback,
    int ValidityDays);

/// <summary>
/// Issues the per-VM CA, server and client certificates and writes them straight to Key Vault. Returns identifiers
/// only: the private keys never leave this activity. Idempotent: when the vault already holds a complete set issued
/// for this orchestration instance, that set is returned and no secret version is added.
/// </summary>
public sealed partial class IssueDockerCertificates(
    IDockerTlsCertificateAuthority authority,
    SecretClient secrets,
    ILogger<IssueDockerCertificates> logger)
    : TaskActivity<IssueDockerCertificatesInput, DockerSecretIdentifiers>
{
    public const string PemContentType = "application/x-pem-file";

    public override async Task<DockerSecretIdentifiers> RunAsync(TaskActivityContext context, IssueDockerCertificatesInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var names = input.Names;

        if (await FindExistingSetAsync(names, context.InstanceId) is { } existing)
        {
            LogReused(logger, context.InstanceId, names.VmName);
            return existing;
        }

        var dnsNames = new List<string> { input.Fqdn };
        var ips = new List<IPAddress> { IPAddress.Parse(input.PublicIpAddress) };
        if (input.IncludeLoopback)
        {
            dnsNames.Add("localhost");
            ips.Add(IPAddress.Loopback);
        }

        var set = authority.Issue(new DockerTlsIssueRequest(names.VmName, dnsNames, ips, input.KeyAlgorithm, input.ValidityDays));
        var tags = new Dictionary<string, string>
        {
            [WorkflowTags.InstanceId] = context.InstanceId,
            [WorkflowTags.VmResourceId] = VmTagValue(input.VmResourceId),
            [WorkflowTags.CertificateSet] = Guid.NewGuid().ToString("N"),
            [WorkflowTags.ManagedBy] = WorkflowTags.ManagedByValue,
        };

        // All five share the set tag: a retry after a partial write finds no complete set and issues a fresh one.
        var serverCert = await WriteAsync(names.ServerCertificateSecret, set.ServerCertificatePem, tags);
        var serverKey = await WriteAsync(names.ServerKeySecret, set.ServerKeyPem, tags);
        var clientCert = await WriteAsync(names.ClientCertificateSecret, set.ClientCertificatePem, tags);
        var clientKey = await WriteAsync(names.ClientKeySecret, set.ClientKeyPem, tags);
        var ca = await WriteAsync(names.CaCertificateSecret, set.CaCertificatePem, tags);
        LogIssued(logger, context.InstanceId, names.VmName, input.KeyAlgorithm);
        return new DockerSecretIdentifiers(ca, serverCert, serverKey, clientCert, clientKey);
    }

    /// <summary>Key Vault allows 15 tags of at most 256 characters per name and value (about-secrets.md, "Secret tags";
    /// the current page says 512), and a full VM id reaches 265 with a 90-character group and a 64-character name.
    /// <c>{subscription}/{resourceGroup}/{vmName}</c> names the same VM in at most 36 + 90 + 64 + 2 = 192 characters.
    /// Nothing reads it back: cleanup derives every name from the VM and group.</summary>
    public static string VmTagValue(string vmResourceId)
    {
        ArgumentNullException.ThrowIfNull(vmResourceId);
        var segments = vmResourceId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string After(string key) =>
            Array.FindIndex(segments, s => s.Equals(key, StringComparison.OrdinalIgnoreCase)) is var i && i >= 0 && i + 1 < segments.Length ? segments[i + 1] : "";
        return $"{After("subscriptions")}/{After("resourceGroups")}/{(segments.Length > 0 ? segments[^1] : "")}";
    }

    private async Task<DockerSecretIdentifiers?> FindExistingSetAsync(DockerVmResourceNames names, string instanceId)
    {
        var found = new Dictionary<string, SecretProperties>(StringComparer.Ordinal);
        foreach (var name in names.AllSecrets)
        {
            var properties = await GetPropertiesAsync(name);
            if (properties is null || !properties.Tags.TryGetValue(WorkflowTags.InstanceId, out var owner) || owner != instanceId)
            {
                return null;
            }

            found[name] = properties;
        }

        var setIds = found.Values.Select(p => p.Tags.TryGetValue(WorkflowTags.CertificateSet, out var s) ? s : null).Distinct().ToList();
        if (setIds is not [{ } _])
        {
            return null;
        }

        return new DockerSecretIdentifiers(
            found[names.CaCertificateSecret].Id,
            found[names.ServerCertificateSecret].Id,
            found[names.ServerKeySecret].Id,
            found[names.ClientCertificateSecret].Id,
            found[names.ClientKeySecret].Id);
    }

    /// <summary>Properties (tags, id) of the current version; null when missing or deleted. The value is fetched but never
    /// leaves this method: SecretClient has no call for the latest version's properties alone.</summary>
    private Task<SecretProperties?> GetPropertiesAsync(string name) =>
        AzureErrors.Call(async () =>
        {
            try
            {
                var secret = await secrets.GetSecretAsync(name);
                return secret.Value.Properties;
            }
            catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
            {
                return null;
            }
        });

    private Task<Uri> WriteAsync(string name, string pem, IReadOnlyDictionary<string, string> tags) =>
        AzureErrors.Call(async () =>
        {
            var secret = new KeyVaultSecret(name, pem);
            secret.Properties.ContentType = PemContentType;
            foreach (var (key, value) in tags)
            {
                secret.Properties.Tags[key] = value;
            }

            try
            {
                return (await secrets.SetSecretAsync(secret)).Value.Id;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // A vault with purge protection keeps an earlier run's deleted secret under this name, and refuses new
                // versions until it is recovered: recover it, then write the new version over it.
                var recovery = await secrets.StartRecoverDeletedSecretAsync(name);
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await recovery.WaitForCompletionAsync(TimeSpan.FromSeconds(1), timeout.Token);
                return (await secrets.SetSecretAsync(secret)).Value.Id;
            }
        });

    [LoggerMessage(EventId = 2120, Level = LogLevel.Information, Message = "Instance {InstanceId}: issued Docker TLS certificates ({KeyAlgorithm}) for VM {VmName} into Key Vault")]
    private static partial void LogIssued(ILogger logger, string instanceId, string vmName, CertificateKeyAlgorithm keyAlgorithm);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Information, Message = "Instance {InstanceId}: Key Vault already holds a complete certificate set for VM {VmName}; reusing it")]
    private static partial void LogReused(ILogger logger, string instanceId, string vmName);
}
