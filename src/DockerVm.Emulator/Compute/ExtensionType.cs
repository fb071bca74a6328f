using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Faults;
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
        var guest = new GuestConditions(
            (string?)parent.Properties["storageProfile"]?["imageReference"]?["publisher"],
            handler.Type == "CustomScript" && put.Runtime.Faults.TakeGuestFault("PUT", put.Resource.Id, FaultKind.DpkgLockHeld));
        put.Resource.Preparation = Task.Run(() => PrepareInstall(handler.Type, settings, protectedSettings, guest));
    }

    /// <summary>What the VM brings to the handler's run: its image publisher (where packages put dockerd) and whether
    /// the dpkg lock is held (<see cref="FaultKind.DpkgLockHeld"/>).</summary>
    private sealed record GuestConditions(string? ImagePublisher, bool DpkgLockHeld);

    /// <summary>The validated daemon material (or none), or the handler's failed status message.</summary>
    private sealed record PreparedInstall(int Port, DockerTlsMaterial? Material, string? Error, string Stdout = "");

    private static PreparedInstall? PrepareInstall(string type, JsonObject? settings, JsonObject? protectedSettings, GuestConditions guest)
    {
        var stdout = string.Empty;
        try
        {
            DockerInstallPlan? plan;
            if (type == "CustomScript")
            {
                // The handler's own checks first (schema, settings, base64/gzip, size), then the script's run.
                var script = CustomScriptHandler.ScriptToRun(settings, protectedSettings);
                if (script is null)
                {
                    return null;
                }

                if (guest.DpkgLockHeld && DpkgLockHeld.Run(script) is { } outcome)
                {
                    if (!outcome.Succeeded)
                    {
                        return new PreparedInstall(0, null, CustomScriptHandler.ExecFailed(outcome.ExitCode, outcome.Stdout, outcome.Stderr));
                    }

                    stdout = outcome.Stdout;
                }

                plan = DockerInstallPlan.FromScript(script, guest.ImagePublisher);
            }
            else if (type == "DockerExtension")
            {
                plan = DockerInstallPlan.FromDockerExtension(settings, protectedSettings);
            }
            else
            {
                return null;
            }

            return plan is null ? null : new PreparedInstall(plan.Port, DockerTlsMaterial.Load(plan.CaPem, plan.CertPem, plan.KeyPem), null, stdout);
        }
        catch (ExtensionHandlerException ex)
        {
            return new PreparedInstall(0, null, ex.Message);
        }
        catch (InvalidDataException ex)
        {
            return new PreparedInstall(0, null, HandlerFailure(type, ex.Message, stdout));
        }
    }

    /// <summary>How each handler reports a failure of what it ran: CustomScript as a script that exited 1 with the
    /// complaint on stderr, DockerExtension as its enable error.</summary>
    private static string HandlerFailure(string? type, string complaint, string stdout = "") =>
        type == "CustomScript" ? CustomScriptHandler.ExecFailed(1, stdout, complaint + "\n") : $"Enable failed: {complaint}";

    public override AzureError? Provision(ArmRuntime runtime, ArmResource resource)
    {
        var properties = resource.Properties;
        var type = (string?)properties["type"];
        runtime.Docker.Stop(resource.Id);
        var prepared = (resource.Preparation as Task<PreparedInstall?>)?.Result;
        resource.Preparation = null;
        if (prepared?.Error is { } failure)
        {
            return Failed(runtime, resource, failure);
        }

        if (prepared?.Material is not { } material)
        {
            Log.ExtensionWithoutDaemon(runtime.Logger, resource.Id);
            resource.StatusMessage = type == "CustomScript" ? CustomScriptHandler.Succeeded(prepared?.Stdout ?? string.Empty, string.Empty) : "Enable succeeded";
            return null;
        }

        var vm = runtime.Store.Find(resource.ParentId!)!;
        var address = VirtualMachineType.PublicIpAddress(runtime, vm);
        if (address is null)
        {
            material.Dispose();
            return Failed(runtime, resource, HandlerFailure(type, "the VM has no public IP address; the Docker endpoint would be unreachable", prepared.Stdout));
        }

        var computerName = (string?)vm.Properties["osProfile"]?["computerName"] ?? vm.Name;
        runtime.Docker.Start(resource.Id, material, address, prepared.Port, new DaemonIdentity((string?)vm.Properties["vmId"] ?? vm.Name, computerName));
        resource.StatusMessage = type == "DockerExtension"
            ? $"Enable succeeded: Docker daemon listening on tcp://0.0.0.0:{prepared.Port} with --tlsverify"
            : CustomScriptHandler.Succeeded(
                $"{prepared.Stdout}docker.service: Started Docker Application Container Engine (tcp://0.0.0.0:{prepared.Port}, --tlsverify)\n", string.Empty);
        return null;
    }

    /// <summary>The handler's failed status as Compute reports it (VMExtensionProvisioningError, the handler's message quoted).</summary>
    private static AzureError Failed(ArmRuntime runtime, ArmResource resource, string statusMessage)
    {
        var properties = resource.Properties;
        var type = (string?)properties["type"];
        Log.ExtensionFailed(runtime.Logger, resource.Id, statusMessage);
        var message = type == "CustomScript"
            ? $"VM has reported a failure when processing extension '{resource.Name}' (publisher '{properties["publisher"]}' and type '{type}'). Error message: '{statusMessage}'. More information on troubleshooting is available at https://aka.ms/VMExtensionCSELinuxTroubleshoot."
            : $"VM has reported a failure when processing extension '{resource.Name}' (publisher '{properties["publisher"]}' and type '{type}'). Error message: \"{statusMessage}\".";
        resource.StatusMessage = message;
        return new AzureError("VMExtensionProvisioningError", message);
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
