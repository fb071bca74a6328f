namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>ca.pem, cert.pem and key.pem (0600) in one directory, as a Docker client keeps them.</summary>
internal sealed record CertificateFiles(string Directory)
{
    public string Ca => System.IO.Path.Combine(Directory, "ca.pem");

    public string Certificate => System.IO.Path.Combine(Directory, "cert.pem");

    public string Key => System.IO.Path.Combine(Directory, "key.pem");

    public static async Task<CertificateFiles> WriteAsync(string directory, string caPem, string certificatePem, string keyPem)
    {
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var files = new CertificateFiles(directory);
        await File.WriteAllTextAsync(files.Ca, caPem);
        await File.WriteAllTextAsync(files.Certificate, certificatePem);
        await File.WriteAllTextAsync(files.Key, keyPem);
        File.SetUnixFileMode(files.Key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return files;
    }
}
