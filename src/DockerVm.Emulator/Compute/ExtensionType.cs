using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Compute;

/// <summary>
/// Microsoft.Compute/virtualMachines/extensions. DockerExtension 1.x and CustomScript 2.x "install Docker": on
/// completion the emulator validates the TLS material they carry and starts an emulated daemon on the VM's public IP.
/// protectedSettings are accepted and never returned.
/// </summary>
internal sealed class ExtensionType : ResourceType
{
    public const string Type = "Microsoft.Compute/virtualMachines/extensions";
    private const string AzureExtensions = "Microsoft.Azure.Extensions";

    private static readonly (string Publisher, string Type, string Major)[] Handlers =
    [
        (AzureExtensions, "DockerExtension", "1"),
        (AzureExtensions, "CustomScript", "2"),
        ("Microsoft.OSTCExtensions", "CustomScriptForLinux", "1"),
        ("Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent", "1"),
        ("Microsoft.Azure.ActiveDirectory", "AADSSHLoginForLinux", "1"),
        ("Microsoft.CPlat.Core", "RunCommandLinux", "1"),
    ];

    public override string Namespace => "Microsoft.Compute";

    public override string TypeName => "virtualMachines/extensions";

    public override IReadOnlyList<string> ApiVersions => Arm.ApiVersions.Compute;

    public override void ValidateName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            throw AzureErrorException.BadRequest("InvalidParameter", $"The extension name '{name}' is invalid.", "name");
        }
    }

    /// <summary>An extension on a VM that is still being created runs once the VM is up.</summary>
    public override TimeSpan CreateDuration(ArmRuntime runtime, ArmResource resource)
    {
        var own = runtime.Durations.Extension;
        if (resource.ParentId is not null && runtime.Store.Find(resource.ParentId) is { ActiveOperationId: { } parentOperation }
            && runtime.Store.FindOperation(parentOperation) is { Status: OperationStatus.InProgress } running)
        {
            var parentRemaining = running.Due - runtime.Now;
            return parentRemaining > TimeSpan.Zero ? parentRemaining + own : own;
        }

        return own;
    }

    public override void Prepare(PutContext put)
    {
        var parent = put.Parent!;
        if (parent.ProvisioningState == "Failed")
        {
            throw AzureErrorException.Conflict("OperationNotAllowed", $"Operation 'PUT extension' is not allowed on VM '{parent.Name}' since the VM is in failed state.");
        }

        if (parent.PowerState != "running")
        {
            throw AzureErrorException.Conflict("OperationNotAllowed", $"Cannot modify extensions in the VM when the VM is not running.");
        }

        var body = put.Resource.Body;
        body["location"] = ArmNames.NormalizeLocation((string?)put.Request["location"] ?? parent.Location, Type);
        body["tags"] = put.Request["tags"]?.DeepClone() ?? new JsonObject();
        var properties = (JsonObject)put.RequestProperties.DeepClone();
        properties.Remove("provisioningState");
        properties.Remove("instanceView");
        var publisher = (string?)properties["publisher"];
        var type = (string?)properties["type"];
        var version = (string?)properties["typeHandlerVersion"];
        if (string.IsNullOrEmpty(publisher) || string.IsNullOrEmpty(type) || string.IsNullOrEmpty(version))
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "Required parameters 'publisher', 'type' and 'typeHandlerVersion' of the extension must be specified.", "properties");
        }

        var handler = Handlers.FirstOrDefault(h => h.Publisher.Equals(publisher, StringComparison.OrdinalIgnoreCase) && h.Type.Equals(type, StringComparison.OrdinalIgnoreCase));
        if (handler.Publisher is null || version.Split('.')[0] != handler.Major)
        {
            throw AzureErrorException.NotFound("ArtifactNotFound", $"Extension with publisher '{publisher}', type '{type}', and type handler version '{version}' could not be found in the extension repository.");
        }

        if (put.Existing is not null && !string.Equals((string?)put.Existing.Properties["type"], handler.Type, StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest("PropertyChangeNotAllowed", "Changing property 'type' is not allowed.", "type");
        }

        properties["publisher"] = handler.Publisher;
        properties["type"] = handler.Type;
        properties["autoUpgradeMinorVersion"] ??= false;
        properties["settings"] ??= new JsonObject();
        put.Resource.ProtectedSettings = properties["protectedSettings"] as JsonObject is { } secrets
            ? (JsonObject)secrets.DeepClone()
            : put.Existing?.ProtectedSettings;
        properties.Remove("protectedSettings");
        properties.Remove("protectedSettingsFromKeyVault");
        body["properties"] = properties;

        // Certificate parsing and chain building are the expensive part: do them off the store lock, now.
        var settings = properties["settings"] as JsonObject;
        var protectedSettings = put.Resource.ProtectedSettings;
        put.Resource.Preparation = Task.Run(() => PrepareInstall(handler.Type, settings, protectedSettings));
    }

    private static PreparedInstall? PrepareInstall(string type, JsonObject? settings, JsonObject? protectedSettings)
    {
        try
        {
            if (type == "DockerExtension" && AzureEnvironmentError(settings) is { } invalid)
            {
                return new PreparedInstall(0, null, invalid);
            }

            var plan = type switch
            {
                "DockerExtension" => DockerInstallPlan.FromDockerExtension(settings, protectedSettings),
                "CustomScript" => DockerInstallPlan.FromCustomScript(settings, protectedSettings),
                _ => null,
            };
            return plan is null ? null : new PreparedInstall(plan.Port, DockerTlsMaterial.Load(plan.CaPem, plan.CertPem, plan.KeyPem), null);
        }
        catch (InvalidDataException ex)
        {
            return new PreparedInstall(0, null, ex.Message);
        }
    }

    /// <summary>
    /// The DockerExtension handler's first step: <c>azure-environment</c> must be <c>AzureChinaCloud</c>, <c>AzureCloud</c>
    /// or empty, compared exactly, else the enable fails (Azure/azure-docker-extension op-enable.go, <c>enable()</c>:
    /// "invalid environment name: %s"; a non-string fails the settings' JSON decoding first, handlersettings.go).
    /// </summary>
    private static string? AzureEnvironmentError(JsonObject? settings)
    {
        switch (settings?["azure-environment"])
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<string>(out var name):
                return name is "AzureChinaCloud" or "AzureCloud" or "" ? null : $"invalid environment name: {name}";
            case var other:
                var kind = other.GetValueKind() switch
                {
                    System.Text.Json.JsonValueKind.Number => "number",
                    System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "bool",
                    System.Text.Json.JsonValueKind.Array => "array",
                    _ => "object",
                };
                return $"error parsing handler settings: failed to unmarshal public settings: json: cannot unmarshal {kind} into Go struct field publicSettings.azure-environment of type string";
        }
    }

    /// <summary>The validated daemon material, or dockerd's complaint about it.</summary>
    private sealed record PreparedInstall(int Port, DockerTlsMaterial? Material, string? Error);

    public override AzureError? Provision(ArmRuntime runtime, ArmResource resource)
    {
        var properties = resource.Properties;
        var type = (string?)properties["type"];
        runtime.Docker.Stop(resource.Id);
        try
        {
            var prepared = (resource.Preparation as Task<PreparedInstall?>)?.Result;
            resource.Preparation = null;
            if (prepared?.Error is { } complaint)
            {
                throw new InvalidDataException(complaint);
            }

            if (prepared?.Material is not { } material)
            {
                Log.ExtensionWithoutDaemon(runtime.Logger, resource.Id);
                resource.StatusMessage = "Enable succeeded";
                return null;
            }

            var vm = runtime.Store.Find(resource.ParentId!)!;
            var address = VirtualMachineType.PublicIpAddress(runtime, vm);
            if (address is null)
            {
                material.Dispose();
                throw new InvalidDataException("the VM has no public IP address; the Docker endpoint would be unreachable");
            }

            var plan = prepared;
            var computerName = (string?)vm.Properties["osProfile"]?["computerName"] ?? vm.Name;
            runtime.Docker.Start(resource.Id, material, address, plan.Port, new DaemonIdentity((string?)vm.Properties["vmId"] ?? vm.Name, computerName));
            resource.StatusMessage = type == "DockerExtension"
                ? $"Enable succeeded: Docker daemon listening on tcp://0.0.0.0:{plan.Port} with --tlsverify"
                : $"Enable succeeded: \n[stdout]\ndocker.service: Started Docker Application Container Engine (tcp://0.0.0.0:{plan.Port}, --tlsverify)\n\n[stderr]\n";
            return null;
        }
        catch (InvalidDataException ex)
        {
            Log.ExtensionFailed(runtime.Logger, resource.Id, ex.Message);
            var message = type == "CustomScript"
                ? $"VM has reported a failure when processing extension '{resource.Name}' (publisher '{properties["publisher"]}' and type '{type}'). Error message: 'Enable failed: failed to execute command: command terminated with exit status=1\n[stdout]\n\n[stderr]\n{ex.Message}\n'. More information on troubleshooting is available at https://aka.ms/VMExtensionCSELinuxTroubleshoot."
                : $"VM has reported a failure when processing extension '{resource.Name}' (publisher '{properties["publisher"]}' and type '{type}'). Error message: \"Enable failed: {ex.Message}\".";
            resource.StatusMessage = message;
            return new AzureError("VMExtensionProvisioningError", message);
        }
    }

    public override void Deleted(ArmRuntime runtime, ArmResource resource) => runtime.Docker.Stop(resource.Id);

    public override JsonObject Render(ArmRuntime runtime, ArmResource resource, HttpRequest request)
    {
        var body = base.Render(runtime, resource, request);
        if (request.Query["$expand"].ToString().Contains("instanceView", StringComparison.OrdinalIgnoreCase))
        {
            body["properties"]!["instanceView"] = InstanceView(resource);
        }

        return body;
    }

    public static JsonObject InstanceView(ArmResource extension)
    {
        var state = extension.ProvisioningState;
        var status = new JsonObject
        {
            ["code"] = $"ProvisioningState/{state.ToLowerInvariant()}",
            ["level"] = state == "Failed" ? "Error" : "Info",
            ["displayStatus"] = state switch { "Succeeded" => "Provisioning succeeded", "Failed" => "Provisioning failed", _ => "Transitioning" },
        };
        if (extension.StatusMessage is not null && state is "Succeeded" or "Failed")
        {
            status["message"] = extension.StatusMessage;
        }

        return new JsonObject
        {
            ["name"] = extension.Name,
            ["type"] = $"{extension.Properties["publisher"]}.{extension.Properties["type"]}",
            ["typeHandlerVersion"] = (string?)extension.Properties["typeHandlerVersion"],
            ["statuses"] = new JsonArray(status),
        };
    }
}
