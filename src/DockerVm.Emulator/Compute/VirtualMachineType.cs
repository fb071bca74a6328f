using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Network;

namespace DockerVm.Emulator.Compute;

/// <summary>Microsoft.Compute/virtualMachines: validated profiles, an OS disk resource, NIC attachment, instance view, delete cascade.</summary>
internal sealed partial class VirtualMachineType : ResourceType
{
    public const string Type = "Microsoft.Compute/virtualMachines";

    public override string Namespace => "Microsoft.Compute";

    public override string TypeName => "virtualMachines";

    public override IReadOnlyList<string> ApiVersions => Arm.ApiVersions.Compute;

    public override TimeSpan CreateDuration(ArmRuntime runtime, ArmResource resource) => runtime.Durations.VirtualMachine;

    public override void ValidateName(string name) => ArmNames.ValidateLinuxHostName(name, "name");

    public override void Prepare(PutContext put)
    {
        var rt = put.Runtime;
        var vm = put.Resource;
        var request = put.Request;
        var body = vm.Body;
        body["location"] = ArmNames.NormalizeLocation((string?)request["location"], Type);
        if (put.Existing is not null && !string.Equals(put.Existing.Location, vm.Location, StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest("PropertyChangeNotAllowed", "Changing property 'location' is not allowed.", "location");
        }

        body["tags"] = request["tags"]?.DeepClone() ?? new JsonObject();
        if (request["zones"] is JsonArray zones)
        {
            body["zones"] = zones.DeepClone();
        }

        if (request["identity"] is JsonObject identity)
        {
            body["identity"] = identity.DeepClone();
        }

        var properties = (JsonObject)put.RequestProperties.DeepClone();
        properties.Remove("provisioningState");
        properties.Remove("instanceView");
        body["properties"] = properties;

        ValidateSize(properties);
        var windows = ValidateImage(properties);
        ValidateOsProfile(properties, vm.Name, windows, put.Existing);
        var nics = AttachNics(rt, vm, properties, put.Existing);
        EnsureOsDisk(rt, vm, properties, windows, put.Existing);

        properties["vmId"] = (string?)put.Existing?.Properties["vmId"] ?? Guid.NewGuid().ToString();
        properties["timeCreated"] = (string?)put.Existing?.Properties["timeCreated"] ?? rt.Now.ToString("o", CultureInfo.InvariantCulture);
        properties["networkProfile"]!["networkInterfaces"] = nics;
        vm.PowerState = put.Existing?.PowerState ?? "running";
    }

    public override void Deleted(ArmRuntime runtime, ArmResource resource)
    {
        // Real-Docker mode: the VM's guest sandbox (its dockerd, namespaces, veth pair) goes with it.
        runtime.Guests?.Shutdown(resource.Id);
        foreach (var reference in (resource.Properties["networkProfile"]?["networkInterfaces"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)reference["id"] is not { } nicId || runtime.Store.Find(nicId) is not { } nic)
            {
                continue;
            }

            nic.Properties.Remove("virtualMachine");
            if (string.Equals((string?)reference["properties"]?["deleteOption"], "Delete", StringComparison.OrdinalIgnoreCase))
            {
                runtime.DeleteNow(nic);
            }
            else
            {
                NetworkInterfaceType.Reserve(runtime, nic, resource.Id);
            }
        }

        var osDisk = resource.Properties["storageProfile"]?["osDisk"];
        if ((string?)osDisk?["managedDisk"]?["id"] is { } diskId && runtime.Store.Find(diskId) is { } disk)
        {
            if (string.Equals((string?)osDisk!["deleteOption"], "Delete", StringComparison.OrdinalIgnoreCase))
            {
                runtime.DeleteNow(disk);
            }
            else
            {
                disk.Body.Remove("managedBy");
                disk.Properties["diskState"] = "Unattached";
            }
        }
    }

    public override JsonObject Render(ArmRuntime runtime, ArmResource resource, HttpRequest request)
    {
        var body = base.Render(runtime, resource, request);
        if (request.Query["$expand"].ToString().Contains("instanceView", StringComparison.OrdinalIgnoreCase))
        {
            body["properties"]!["instanceView"] = InstanceView(runtime, resource);
        }

        return body;
    }

    public override JsonNode? Action(ArmRuntime runtime, ArmResource resource, string method, string action)
    {
        switch (method, action.ToLowerInvariant())
        {
            case ("GET", "instanceview"):
                return InstanceView(runtime, resource);
            case ("POST", "start"):
            case ("POST", "restart"):
                resource.PowerState = "running";
                return null;
            case ("POST", "poweroff"):
                resource.PowerState = "stopped";
                return null;
            case ("POST", "deallocate"):
                resource.PowerState = "deallocated";
                return null;
            default:
                return base.Action(runtime, resource, method, action);
        }
    }

    /// <summary>The VM's first public IP address (where its Docker daemon listens).</summary>
    public static string? PublicIpAddress(ArmRuntime runtime, ArmResource vm)
    {
        foreach (var reference in (vm.Properties["networkProfile"]?["networkInterfaces"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)reference["id"] is { } nicId && runtime.Store.Find(nicId) is { } nic)
            {
                foreach (var publicIp in NetworkInterfaceType.PublicIps(runtime, nic))
                {
                    if ((string?)publicIp.Properties["ipAddress"] is { } address)
                    {
                        return address;
                    }
                }
            }
        }

        return null;
    }

    private static void ValidateSize(JsonObject properties)
    {
        var size = (string?)properties["hardwareProfile"]?["vmSize"];
        if (string.IsNullOrEmpty(size))
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "Required parameter 'hardwareProfile.vmSize' is missing (null).", "hardwareProfile.vmSize");
        }

        var canonical = ComputeCatalog.Sizes.FirstOrDefault(s => s.Equals(size, StringComparison.OrdinalIgnoreCase))
            ?? throw AzureErrorException.BadRequest(
                "InvalidParameter",
                $"The value {size} provided for the VM size is not valid. The valid sizes in the current region are: {string.Join(",", ComputeCatalog.Sizes)}.",
                "vmSize");
        properties["hardwareProfile"]!["vmSize"] = canonical;
    }

    private static bool ValidateImage(JsonObject properties)
    {
        if (properties["storageProfile"]?["imageReference"] is not JsonObject image)
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "Required parameter 'storageProfile.imageReference' is missing (null).", "imageReference");
        }

        if ((string?)image["id"] is { Length: > 0 })
        {
            return false;
        }

        var publisher = (string?)image["publisher"] ?? string.Empty;
        var offer = (string?)image["offer"] ?? string.Empty;
        var sku = (string?)image["sku"] ?? string.Empty;
        var version = (string?)image["version"] ?? "latest";
        if (!ComputeCatalog.IsKnownImage(publisher, offer, sku) || !(version.Equals("latest", StringComparison.OrdinalIgnoreCase) || ImageVersion().IsMatch(version)))
        {
            throw AzureErrorException.BadRequest(
                "InvalidParameter",
                $"The following list of images referenced from the deployment template are not found: Publisher: {publisher}, Offer: {offer}, Sku: {sku}, Version: {version}. Please refer to https://docs.microsoft.com/en-us/azure/virtual-machines/windows/cli-ps-findimage for instructions on finding available images.",
                "imageReference");
        }

        // After the catalog check, as Compute does: a known image on a size that cannot boot it.
        BootCompatibility.EnsureBootable((string)properties["hardwareProfile"]!["vmSize"]!, publisher, offer, sku);
        image["version"] = version;
        image["exactVersion"] = version.Equals("latest", StringComparison.OrdinalIgnoreCase) ? "24.04.202511180" : version;
        return ComputeCatalog.IsWindows(publisher);
    }

    private static void ValidateOsProfile(JsonObject properties, string vmName, bool windows, ArmResource? existing)
    {
        if (properties["osProfile"] is not JsonObject os)
        {
            if (existing?.Properties["osProfile"] is JsonObject kept)
            {
                properties["osProfile"] = kept.DeepClone();
                return;
            }

            throw AzureErrorException.BadRequest("InvalidParameter", "Required parameter 'osProfile' is missing (null).", "osProfile");
        }

        var computerName = (string?)os["computerName"] ?? vmName;
        if (windows)
        {
            if (computerName.Length > 15)
            {
                throw AzureErrorException.BadRequest("InvalidParameter", "Windows computer name cannot be more than 15 characters long, be entirely numeric, or contain the following characters: ` ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \\ | ; : . ' \" , < > / ?.", "windowsConfiguration");
            }
        }
        else
        {
            ArmNames.ValidateLinuxHostName(computerName, "osProfile.computerName");
        }

        os["computerName"] = computerName;
        var user = (string?)os["adminUsername"];
        if (string.IsNullOrEmpty(user))
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "Required parameter 'osProfile.adminUsername' is missing (null).", "osProfile.adminUsername");
        }

        if (ComputeCatalog.ReservedUserNames.Contains(user) || (!windows && !LinuxUserName().IsMatch(user)))
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "The Admin Username specified is not allowed.", "adminUsername");
        }

        var password = (string?)os["adminPassword"];
        if (password is not null && !IsComplexPassword(password, windows))
        {
            throw AzureErrorException.BadRequest(
                "InvalidParameter",
                $"The supplied password must be between {(windows ? 8 : 6)}-{(windows ? 123 : 72)} characters long and must satisfy at least 3 of password complexity requirements from the following:\r\n1) Contains an uppercase character\r\n2) Contains a lowercase character\r\n3) Contains a numeric digit\r\n4) Contains a special character\r\n5) Control characters are not allowed",
                "adminPassword");
        }

        if (!windows)
        {
            var linux = os["linuxConfiguration"] as JsonObject ?? [];
            var keys = linux["ssh"]?["publicKeys"] as JsonArray ?? [];
            foreach (var key in keys.OfType<JsonObject>())
            {
                var data = ((string?)key["keyData"] ?? string.Empty).Trim();
                if (!SshKey().IsMatch(data))
                {
                    throw AzureErrorException.BadRequest("InvalidParameter", "The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid.", "linuxConfiguration.ssh.publicKeys.keyData");
                }

                if ((string?)key["path"] is { } path && path != $"/home/{user}/.ssh/authorized_keys")
                {
                    throw AzureErrorException.BadRequest("InvalidParameter", $"Destination path for SSH public keys is currently limited to its default value /home/{user}/.ssh/authorized_keys due to a known issue in Linux provisioning agent.", "linuxConfiguration.ssh.publicKeys.path");
                }
            }

            var passwordDisabled = (bool?)linux["disablePasswordAuthentication"] ?? password is null;
            if ((passwordDisabled && keys.Count == 0) || (!passwordDisabled && password is null))
            {
                throw AzureErrorException.BadRequest("InvalidParameter", "Authentication using either SSH or by user name and password must be enabled in Linux profile.", "linuxConfiguration");
            }

            linux["disablePasswordAuthentication"] = passwordDisabled;
            linux["provisionVMAgent"] ??= true;
            linux["patchSettings"] ??= new JsonObject { ["patchMode"] = "ImageDefault", ["assessmentMode"] = "ImageDefault" };
            linux["enableVMAgentPlatformUpdates"] ??= false;
            os["linuxConfiguration"] = linux;
        }

        // Azure never returns these.
        os.Remove("adminPassword");
        os.Remove("customData");
        os["secrets"] ??= new JsonArray();
        os["allowExtensionOperations"] ??= true;
        os["requireGuestProvisionSignal"] = true;
    }

    private static JsonArray AttachNics(ArmRuntime rt, ArmResource vm, JsonObject properties, ArmResource? existing)
    {
        var requested = properties["networkProfile"]?["networkInterfaces"] as JsonArray ?? [];
        if (requested.Count == 0)
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "At least one network interface is required in 'networkProfile.networkInterfaces'.", "networkProfile.networkInterfaces");
        }

        var result = new JsonArray();
        var attached = new List<ArmResource>();
        foreach (var reference in requested.OfType<JsonObject>())
        {
            var nicId = (string?)reference["id"] ?? string.Empty;
            var nic = rt.Store.Find(nicId);
            if (nic is null || nic.Deleting || !string.Equals(nic.Type, NetworkInterfaceType.Type, StringComparison.OrdinalIgnoreCase))
            {
                throw AzureErrorException.NotFound("NotFound", $"Resource {nicId} not found.");
            }

            if (!string.Equals(nic.Location, vm.Location, StringComparison.OrdinalIgnoreCase))
            {
                throw AzureErrorException.BadRequest("InvalidParameter", $"The network interface {nic.Id} is in location '{nic.Location}', which is different from the virtual machine location '{vm.Location}'.", "networkProfile.networkInterfaces");
            }

            var holder = (string?)nic.Properties["virtualMachine"]?["id"];
            if (holder is not null && !string.Equals(holder, vm.Id, StringComparison.OrdinalIgnoreCase) && rt.Store.Find(holder) is not null)
            {
                throw AzureErrorException.Conflict("NicInUse", $"Network Interface {nic.Id} is used by existing resource {holder}. In order to use it with another virtual machine, it must be dissociated first.");
            }

            if (NetworkInterfaceType.ReservedError(rt, nic, vm.Id) is { } reserved)
            {
                throw reserved;
            }

            var referenceProperties = (JsonObject)(reference["properties"]?.DeepClone() ?? new JsonObject());
            referenceProperties["deleteOption"] = (string?)referenceProperties["deleteOption"] ?? "Detach";
            if (requested.Count == 1)
            {
                referenceProperties["primary"] ??= true;
            }

            result.Add(new JsonObject { ["id"] = nic.Id, ["properties"] = referenceProperties });
            attached.Add(nic);
        }

        if (requested.Count > 1 && result.Count(r => (bool?)r!["properties"]?["primary"] == true) != 1)
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "Virtual machine with multiple network interfaces must have exactly one of them marked as primary.", "networkProfile.networkInterfaces");
        }

        foreach (var old in (existing?.Properties["networkProfile"]?["networkInterfaces"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)old["id"] is { } oldId && rt.Store.Find(oldId) is { } oldNic && !attached.Contains(oldNic))
            {
                oldNic.Properties.Remove("virtualMachine");
            }
        }

        foreach (var nic in attached)
        {
            nic.Properties["virtualMachine"] = new JsonObject { ["id"] = vm.Id };
        }

        return result;
    }

    private static void EnsureOsDisk(ArmRuntime rt, ArmResource vm, JsonObject properties, bool windows, ArmResource? existing)
    {
        var storage = (JsonObject)properties["storageProfile"]!;
        var existingDisk = existing?.Properties["storageProfile"]?["osDisk"] as JsonObject;
        var osDisk = storage["osDisk"] as JsonObject ?? [];
        var diskName = (string?)osDisk["name"] ?? (string?)existingDisk?["name"] ?? $"{vm.Name}_OsDisk_1_{ResourceStore.NewHexId()}";
        var diskId = $"{rt.ResourceGroupId(vm.ResourceGroup)}/providers/Microsoft.Compute/disks/{diskName}";
        var accountType = (string?)osDisk["managedDisk"]?["storageAccountType"] ?? "Premium_LRS";
        var sizeGb = (int?)osDisk["diskSizeGB"] ?? 30;
        osDisk["name"] = diskName;
        osDisk["osType"] = windows ? "Windows" : "Linux";
        osDisk["createOption"] = (string?)osDisk["createOption"] ?? "FromImage";
        osDisk["caching"] = (string?)osDisk["caching"] ?? "ReadWrite";
        osDisk["deleteOption"] = (string?)osDisk["deleteOption"] ?? "Detach";
        osDisk["diskSizeGB"] = sizeGb;
        osDisk["managedDisk"] = new JsonObject { ["storageAccountType"] = accountType, ["id"] = diskId };
        storage["osDisk"] = osDisk;
        storage["dataDisks"] ??= new JsonArray();
        if (rt.Store.Find(diskId) is null)
        {
            var now = rt.Now.ToString("o", CultureInfo.InvariantCulture);
            rt.Store.Put(new ArmResource
            {
                Id = diskId,
                Type = DiskType.Type,
                Name = diskName,
                SubscriptionId = rt.SubscriptionId,
                ResourceGroup = vm.ResourceGroup,
                Created = rt.Now,
                Body = new JsonObject
                {
                    ["id"] = diskId,
                    ["name"] = diskName,
                    ["type"] = DiskType.Type,
                    ["location"] = vm.Location,
                    ["managedBy"] = vm.Id,
                    ["sku"] = new JsonObject { ["name"] = accountType, ["tier"] = accountType.StartsWith("Premium", StringComparison.Ordinal) ? "Premium" : "Standard" },
                    ["properties"] = new JsonObject
                    {
                        ["osType"] = windows ? "Windows" : "Linux",
                        ["hyperVGeneration"] = HyperVGeneration(vm.Properties),
                        ["creationData"] = new JsonObject { ["createOption"] = "FromImage" },
                        ["diskSizeGB"] = sizeGb,
                        ["diskState"] = "Attached",
                        ["timeCreated"] = now,
                        ["provisioningState"] = "Succeeded",
                        ["uniqueId"] = Guid.NewGuid().ToString(),
                    },
                },
            });
        }
    }

    private static JsonObject Status(string code, string displayStatus, string level = "Info", string? message = null, DateTimeOffset? time = null)
    {
        var status = new JsonObject { ["code"] = code, ["level"] = level, ["displayStatus"] = displayStatus };
        if (message is not null)
        {
            status["message"] = message;
        }

        if (time is { } t)
        {
            status["time"] = t.ToString("o", CultureInfo.InvariantCulture);
        }

        return status;
    }

    private static JsonObject InstanceView(ArmRuntime rt, ArmResource vm)
    {
        var state = vm.ProvisioningState;
        var succeeded = state == "Succeeded";
        // Like Azure: a failed VM names the reason in the code and explains it in the message.
        var failure = state == "Failed" ? vm.FailureError : null;
        var statuses = new JsonArray(Status(
            failure is null ? $"ProvisioningState/{state.ToLowerInvariant()}" : $"ProvisioningState/failed/{failure.Code}",
            state switch { "Succeeded" => "Provisioning succeeded", "Failed" => "Provisioning failed", _ => state },
            state == "Failed" ? "Error" : "Info",
            failure?.Message,
            rt.Now));
        if (succeeded)
        {
            statuses.Add(Status($"PowerState/{vm.PowerState}", vm.PowerState switch { "running" => "VM running", "stopped" => "VM stopped", _ => "VM deallocated" }));
        }

        var extensions = new JsonArray();
        var handlers = new JsonArray();
        foreach (var extension in rt.Store.ChildrenOf(vm.Id))
        {
            var view = ExtensionType.InstanceView(extension);
            extensions.Add(view);
            handlers.Add(new JsonObject
            {
                ["type"] = (string?)view["type"],
                ["typeHandlerVersion"] = (string?)view["typeHandlerVersion"],
                ["status"] = Status("ProvisioningState/succeeded", "Ready"),
            });
        }

        var osDisk = vm.Properties["storageProfile"]?["osDisk"];
        return new JsonObject
        {
            ["computerName"] = (string?)vm.Properties["osProfile"]?["computerName"],
            ["osName"] = "ubuntu",
            ["osVersion"] = "24.04",
            ["hyperVGeneration"] = HyperVGeneration(vm.Properties),
            ["vmAgent"] = new JsonObject
            {
                ["vmAgentVersion"] = succeeded ? "2.12.0.4" : "Unknown",
                ["statuses"] = new JsonArray(succeeded
                    ? Status("ProvisioningState/succeeded", "Ready", message: "Guest Agent is running", time: rt.Now)
                    : Status("ProvisioningState/Unavailable", "Not Ready", "Warning", "VM status blob is found but not yet populated.", rt.Now)),
                ["extensionHandlers"] = handlers,
            },
            ["disks"] = new JsonArray(new JsonObject
            {
                ["name"] = (string?)osDisk?["name"],
                ["statuses"] = new JsonArray(Status("ProvisioningState/succeeded", "Provisioning succeeded", time: rt.Now)),
            }),
            ["extensions"] = extensions,
            ["statuses"] = statuses,
        };
    }

    /// <summary>"V1" or "V2", from the marketplace image (custom images by id are taken as Generation 2).</summary>
    private static string HyperVGeneration(JsonObject properties) =>
        properties["storageProfile"]?["imageReference"] is JsonObject image && (string?)image["id"] is not { Length: > 0 }
            && BootCompatibility.ImageGeneration((string?)image["publisher"] ?? "", (string?)image["offer"] ?? "", (string?)image["sku"] ?? "") == "1"
            ? "V1"
            : "V2";

    private static bool IsComplexPassword(string password, bool windows)
    {
        var (min, max) = windows ? (8, 123) : (6, 72);
        if (password.Length < min || password.Length > max || password.Any(char.IsControl))
        {
            return false;
        }

        var classes = (password.Any(char.IsUpper) ? 1 : 0) + (password.Any(char.IsLower) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes >= 3;
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex ImageVersion();

    [GeneratedRegex("^[a-z_][a-z0-9_.-]{0,63}$")]
    private static partial Regex LinuxUserName();

    [GeneratedRegex(@"^(ssh-rsa|ssh-ed25519) [A-Za-z0-9+/]+={0,3}( .*)?$")]
    private static partial Regex SshKey();
}
