using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Tests.Infrastructure;

internal static class TestSpecs
{
    public const string SshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/NMyFOZ9DB+Rzop3WVJF2gdsaqXUCAJy1zi+nh2YGT test@example";

    public static DockerVmSpec Spec(string name = "dockerhost1", CallbackTarget? callback = null, DockerInstaller installer = DockerInstaller.CustomScript) => new()
    {
        Name = name,
        ResourceGroup = "rg-docker",
        Location = "westeurope",
        VmSize = "Standard_B2s",
        Image = new VmImageReference("Canonical", "ubuntu-24_04-lts", "server", "latest"),
        AdminUsername = "azureuser",
        SshPublicKey = SshKey,
        AllowedSourceCidrs = ["203.0.113.0/24"],
        DockerPort = 2376,
        Installer = installer,
        DaemonOptions = ["--userns-remap=default", "--no-new-privileges", "--live-restore", "--icc=false"],
        Tags = new Dictionary<string, string> { ["env"] = "test" },
        Callback = callback ?? new CallbackTarget(new Uri("https://receiver.example.com/hooks"), null),
        KeyAlgorithm = CertificateKeyAlgorithm.EcdsaP256,
        IncludeLoopbackInServerCertificate = false,
        CertificateValidityDays = 30,
    };
}
