using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Azure;

namespace DockerVm.Provisioning.Activities.Docker;

/// <summary>Reads PEM secrets by identifier inside activities; the value never leaves the activity.</summary>
internal static class KeyVaultPem
{
    public static Task<string> ReadAsync(SecretClient secrets, Uri secretId, CancellationToken ct = default) =>
        AzureErrors.Call(async () =>
        {
            var id = new KeyVaultSecretIdentifier(secretId);
            var secret = await secrets.GetSecretAsync(id.Name, id.Version, ct);
            return secret.Value.Value;
        });
}
