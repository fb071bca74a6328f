using Azure.Security.KeyVault.Secrets;
using System.Text.Json.Nodes;

namespace DockerVm.EndToEnd.Tests.Live;

/// <summary>
/// The client set read from Key Vault into files as <c>docker --tlsverify</c> expects them (<c>DOCKER_CERT_PATH</c>:
/// ca.pem, cert.pem, key.pem), owner-only; plus a directory with only the CA, for a client that has no certificate.
/// Deleted on dispose.
/// </summary>
public sealed class ClientCertificateDirectory : IDisposable
{
    private readonly DirectoryInfo root;

    private ClientCertificateDirectory(DirectoryInfo root) => this.root = root;

    public string Path => System.IO.Path.Combine(root.FullName, "client");

    public string CaOnlyPath => System.IO.Path.Combine(root.FullName, "ca-only");

    public static async Task<ClientCertificateDirectory> WriteAsync(LiveTarget target, JsonObject secretUris)
    {
        var directory = new ClientCertificateDirectory(Directory.CreateTempSubdirectory("dockervm-live-"));
        Directory.CreateDirectory(directory.Path);
        Directory.CreateDirectory(directory.CaOnlyPath);
        if (!OperatingSystem.IsWindows())
        {
            // On Windows the temp directory is already the user's own; elsewhere make it owner-only, like the files.
            const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            File.SetUnixFileMode(directory.root.FullName, OwnerOnly);
            File.SetUnixFileMode(directory.Path, OwnerOnly);
            File.SetUnixFileMode(directory.CaOnlyPath, OwnerOnly);
        }

        var ca = await ReadAsync(target, secretUris, "caCertificate");
        await WriteFileAsync(System.IO.Path.Combine(directory.Path, "ca.pem"), ca);
        await WriteFileAsync(System.IO.Path.Combine(directory.CaOnlyPath, "ca.pem"), ca);
        await WriteFileAsync(System.IO.Path.Combine(directory.Path, "cert.pem"), await ReadAsync(target, secretUris, "clientCertificate"));
        await WriteFileAsync(System.IO.Path.Combine(directory.Path, "key.pem"), await ReadAsync(target, secretUris, "clientKey"));
        return directory;
    }

    public void Dispose() => root.Delete(recursive: true);

    private static async Task<string> ReadAsync(LiveTarget target, JsonObject secretUris, string name)
    {
        var id = new KeyVaultSecretIdentifier(new Uri(secretUris[name]!.GetValue<string>()));
        var secret = await target.Secrets(id.VaultUri).GetSecretAsync(id.Name, id.Version);
        return secret.Value.Value;
    }

    private static async Task WriteFileAsync(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content);
    }
}
