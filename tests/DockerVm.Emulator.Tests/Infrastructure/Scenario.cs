using System.IO.Compression;
using System.Text;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>The resources a Docker host needs, created through the real SDKs the way the workflow does.</summary>
internal static class Scenario
{
    public const string Location = "westeurope";
    public const string SshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx0dGVzdGtleWZvcmRvY2tlcnZtZW11bGF0b3J0ZXN0cw test@example";

    private static readonly string[] VnetSpace = ["10.0.0.0/16"];

    public sealed record Network(ResourceIdentifier NicId, ResourceIdentifier PublicIpId, string PublicIp, string Fqdn);

    public static async Task<ResourceGroupResource> GroupAsync(ArmClient arm, string name)
    {
        var subscription = await arm.GetDefaultSubscriptionAsync();
        var result = await subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, name, new ResourceGroupData(Location));
        return result.Value;
    }

    public static ResourceIdentifier Id(ResourceGroupResource group, string type, string name) =>
        new($"{group.Id}/providers/{type}/{name}");

    public static async Task<GenericResource> PutAsync(ArmClient arm, ResourceIdentifier id, object properties, string? sku = null, WaitUntil wait = WaitUntil.Completed)
    {
        var data = new GenericResourceData(Location) { Properties = BinaryData.FromObjectAsJson(properties) };
        if (sku is not null)
        {
            data.Sku = new ResourcesSku { Name = sku };
        }

        var operation = await arm.GetGenericResources().CreateOrUpdateAsync(wait, id, data);
        return operation.Value;
    }

    /// <param name="allowedSource">The NSG's SSH/Docker source: by default the test process's own loopback address (the caller).</param>
    public static async Task<Network> NetworkAsync(ArmClient arm, ResourceGroupResource group, string prefix, int dockerPort = 2376, string allowedSource = "127.0.0.1/32")
    {
        var nsg = Id(group, "Microsoft.Network/networkSecurityGroups", $"{prefix}-nsg");
        await PutAsync(arm, nsg, new
        {
            securityRules = new object[]
            {
                new { name = "ssh", properties = new { protocol = "Tcp", access = "Allow", direction = "Inbound", priority = 100, sourceAddressPrefix = allowedSource, sourcePortRange = "*", destinationAddressPrefix = "*", destinationPortRange = "22" } },
                new { name = "docker", properties = new { protocol = "Tcp", access = "Allow", direction = "Inbound", priority = 110, sourceAddressPrefix = allowedSource, sourcePortRange = "*", destinationAddressPrefix = "*", destinationPortRange = dockerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            },
        });
        var publicIpId = Id(group, "Microsoft.Network/publicIPAddresses", $"{prefix}-ip");
        var publicIp = await PutAsync(arm, publicIpId, new { publicIPAllocationMethod = "Static", dnsSettings = new { domainNameLabel = $"{prefix}-{Guid.NewGuid():N}"[..30] } }, "Standard");
        var vnet = Id(group, "Microsoft.Network/virtualNetworks", $"{prefix}-vnet");
        await PutAsync(arm, vnet, new { addressSpace = new { addressPrefixes = VnetSpace }, subnets = new[] { new { name = "default", properties = new { addressPrefix = "10.0.0.0/24" } } } });
        var nicId = Id(group, "Microsoft.Network/networkInterfaces", $"{prefix}-nic");
        await PutAsync(arm, nicId, new
        {
            networkSecurityGroup = new { id = nsg.ToString() },
            ipConfigurations = new[] { new { name = "ipconfig1", properties = new { subnet = new { id = $"{vnet}/subnets/default" }, publicIPAddress = new { id = publicIpId.ToString() } } } },
        });
        var ipProperties = publicIp.Data.Properties.ToObjectFromJson<System.Text.Json.Nodes.JsonObject>()!;
        return new Network(nicId, publicIpId, (string)ipProperties["ipAddress"]!, (string)ipProperties["dnsSettings"]!["fqdn"]!);
    }

    public static VirtualMachineData VmData(ResourceIdentifier nicId, string computerName, string size = "Standard_B2s") => new(new AzureLocation(Location))
    {
        HardwareProfile = new VirtualMachineHardwareProfile { VmSize = new VirtualMachineSizeType(size) },
        StorageProfile = new VirtualMachineStorageProfile
        {
            ImageReference = new ImageReference { Publisher = "Canonical", Offer = "ubuntu-24_04-lts", Sku = "server", Version = "latest" },
            OSDisk = new VirtualMachineOSDisk(DiskCreateOptionType.FromImage)
            {
                DeleteOption = DiskDeleteOptionType.Delete,
                ManagedDisk = new VirtualMachineManagedDisk { StorageAccountType = StorageAccountType.StandardSsdLrs },
            },
        },
        OSProfile = new VirtualMachineOSProfile
        {
            ComputerName = computerName,
            AdminUsername = "azureuser",
            LinuxConfiguration = new LinuxConfiguration
            {
                DisablePasswordAuthentication = true,
                SshPublicKeys = { new SshPublicKeyConfiguration { Path = "/home/azureuser/.ssh/authorized_keys", KeyData = SshKey } },
            },
        },
        NetworkProfile = new VirtualMachineNetworkProfile
        {
            NetworkInterfaces = { new VirtualMachineNetworkInterfaceReference { Id = nicId, Primary = true, DeleteOption = ComputeDeleteOption.Delete } },
        },
    };

    public static async Task<VirtualMachineResource> VmAsync(ResourceGroupResource group, string name, ResourceIdentifier nicId, WaitUntil wait = WaitUntil.Completed)
    {
        var operation = await group.GetVirtualMachines().CreateOrUpdateAsync(wait, name, VmData(nicId, name));
        return operation.Value;
    }

    public static VirtualMachineExtensionData DockerExtension(DockerCertificates certificates, int port = 2376) => new(new AzureLocation(Location))
    {
        Publisher = "Microsoft.Azure.Extensions",
        ExtensionType = "DockerExtension",
        TypeHandlerVersion = "1.1",
        AutoUpgradeMinorVersion = true,
        Settings = BinaryData.FromObjectAsJson(new { docker = new { port = port.ToString(System.Globalization.CultureInfo.InvariantCulture) } }),
        ProtectedSettings = BinaryData.FromObjectAsJson(new
        {
            certs = new
            {
                ca = DockerCertificates.Base64(certificates.CaPem),
                cert = DockerCertificates.Base64(certificates.ServerCertPem),
                key = DockerCertificates.Base64(certificates.ServerKeyPem),
            },
        }),
    };

    public static string InstallScript(DockerCertificates certificates, int port) => $"""
        #!/bin/bash
        set -euo pipefail
        curl -fsSL https://get.docker.com | sh
        install -d -m 0700 /etc/docker
        cat > /etc/docker/ca.pem <<'PEM'
        {certificates.CaPem.Trim()}
        PEM
        cat > /etc/docker/cert.pem <<'PEM'
        {certificates.ServerCertPem.Trim()}
        PEM
        cat > /etc/docker/key.pem <<'PEM'
        {certificates.ServerKeyPem.Trim()}
        PEM
        chmod 0600 /etc/docker/key.pem
        mkdir -p /etc/systemd/system/docker.service.d
        cat > /etc/systemd/system/docker.service.d/override.conf <<'UNIT'
        [Service]
        ExecStart=
        ExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:{port} --tlsverify --tlscacert=/etc/docker/ca.pem --tlscert=/etc/docker/cert.pem --tlskey=/etc/docker/key.pem
        UNIT
        systemctl daemon-reload && systemctl restart docker
        """;

    public static VirtualMachineExtensionData CustomScript(string script, bool gzip) => new(new AzureLocation(Location))
    {
        Publisher = "Microsoft.Azure.Extensions",
        ExtensionType = "CustomScript",
        TypeHandlerVersion = "2.1",
        AutoUpgradeMinorVersion = true,
        ProtectedSettings = BinaryData.FromObjectAsJson(new { script = Encode(script, gzip) }),
    };

    private static string Encode(string script, bool gzip)
    {
        var bytes = Encoding.UTF8.GetBytes(script);
        if (!gzip)
        {
            return Convert.ToBase64String(bytes);
        }

        using var buffer = new MemoryStream();
        using (var compressor = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(bytes);
        }

        return Convert.ToBase64String(buffer.ToArray());
    }
}
