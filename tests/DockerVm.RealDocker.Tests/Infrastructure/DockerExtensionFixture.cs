using DockerVm.Provisioning.Contracts;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>The seed's DockerExtension 1.x (its handler's enable) plus the verify-only CustomScript, RSA 2048 set.</summary>
public sealed class DockerExtensionFixture : InstallerFixture
{
    protected override DockerInstaller Installer => DockerInstaller.DockerExtension;

    protected override CertificateKeyAlgorithm KeyAlgorithm => CertificateKeyAlgorithm.Rsa2048;
}
