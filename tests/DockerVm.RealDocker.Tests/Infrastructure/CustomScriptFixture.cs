using DockerVm.Provisioning.Contracts;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>The default installer: CustomScript 2.x with the generated script (and its in-VM check), ECDSA P-256 set.</summary>
public sealed class CustomScriptFixture : InstallerFixture
{
    protected override DockerInstaller Installer => DockerInstaller.CustomScript;

    protected override CertificateKeyAlgorithm KeyAlgorithm => CertificateKeyAlgorithm.EcdsaP256;
}
