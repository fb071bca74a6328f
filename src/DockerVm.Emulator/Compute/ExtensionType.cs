using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Guest;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Network;

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
        if (put.Runtime.Guests is { } guests)
        {
            // Real-Docker mode: the handler's work is done for real in the VM's guest sandbox, off the store lock.
            var (vm, unreachable) = RealGuest(put.Runtime, parent);
            put.Resource.Preparation = Task.Run(() => RunRealHandlerAsync(guests, vm, unreachable, handler.Type, settings, protectedSettings));
            return;
        }

        var guest = new GuestConditions(
            (string?)parent.Properties["storageProfile"]?["imageReference"]?["publisher"],
            handler.Type == "CustomScript" && put.Runtime.Faults.TakeGuestFault("PUT", put.Resource.Id, FaultKind.DpkgLockHeld));
        put.Resource.Preparation = Task.Run(() => PrepareInstall(handler.Type, settings, protectedSettings, guest));
    }

    /// <summary>
    /// What the VM's guest sandbox boots from, read now (under the store lock): the VM's public IP (the sandbox's address),
    /// computer name, admin user, dockerd's place on its image (Canonical: Ubuntu's docker.io, /usr/bin; otherwise
    /// Debian's, /usr/sbin) and its NSGs as packet filters. Or why there can be no sandbox.
    /// </summary>
    private static (GuestVm? Vm, string? Unreachable) RealGuest(ArmRuntime runtime, ArmResource vm)
    {
        if (VirtualMachineType.PublicIpAddress(runtime, vm) is not { } text || !System.Net.IPAddress.TryParse(text, out var address))
        {
            return (null, "the VM has no public IP address; the Docker endpoint would be unreachable");
        }

        if (!GuestAddresses.GuestRange.Contains(address))
        {
            return (null, $"the VM's public IP {address} was allocated in emulated-Docker mode; a guest sandbox needs an address of {GuestAddresses.GuestRange}");
        }

        var profile = vm.Properties["osProfile"];
        var publisher = (string?)vm.Properties["storageProfile"]?["imageReference"]?["publisher"];
        return (new GuestVm(
            vm.Id,
            (string?)profile?["computerName"] ?? vm.Name,
            address,
            (string?)profile?["adminUsername"] ?? "azureuser",
            string.Equals(publisher, "Canonical", StringComparison.OrdinalIgnoreCase),
            NsgPacketFilter.For(runtime, vm, address)), null);
    }

    /// <summary>
    /// Real-Docker mode: the handler's own checks, then its work in the VM's guest sandbox. CustomScript runs the
    /// decoded script (or <c>commandToExecute</c>) with <c>/bin/sh -c</c> and reports the tails of its output
    /// (<see cref="CustomScriptHandler"/>); DockerExtension runs its enable (<see cref="DockerExtensionHandler"/>).
    /// </summary>
    private static async Task<PreparedInstall?> RunRealHandlerAsync(
        GuestHost guests, GuestVm? vm, string? unreachable, string type, JsonObject? settings, JsonObject? protectedSettings)
    {
        try
        {
            if (type == "CustomScript")
            {
                var script = CustomScriptHandler.ScriptToRun(settings, protectedSettings);
                var command = script is null ? CustomScriptHandler.CommandToRun(settings, protectedSettings) : null;
                if (vm is null)
                {
                    return new PreparedInstall(0, null, HandlerFailure(type, unreachable!));
                }

                var run = await guests.RunHandlerAsync(vm, type, script, command, directory: null);
                var stdout = CustomScriptHandler.Tail(run.Stdout);
                var stderr = CustomScriptHandler.Tail(run.Stderr);
                return run.Succeeded
                    ? new PreparedInstall(0, null, null, RealStatus: CustomScriptHandler.Succeeded(stdout, stderr))
                    : new PreparedInstall(0, null, CustomScriptHandler.ExecFailed(run.ExitCode, stdout, stderr));
            }

            if (type == "DockerExtension")
            {
                if (AzureEnvironmentError(settings) is { } invalid)
                {
                    return new PreparedInstall(0, null, HandlerFailure(type, invalid));
                }

                if (vm is null)
                {
                    return new PreparedInstall(0, null, HandlerFailure(type, unreachable!));
                }

                var run = await guests.RunHandlerAsync(
                    vm, type, DockerExtensionHandler.EnableScript(settings, protectedSettings, vm.AdminUsername), null, "/var/lib/waagent/Microsoft.Azure.Extensions.DockerExtension");
                return run.Succeeded
                    ? new PreparedInstall(0, null, null, RealStatus: DockerExtensionHandler.SucceededStatus)
                    : new PreparedInstall(0, null, DockerExtensionHandler.FailedStatus(run.Stderr.TrimEnd().Split('\n')[^1]));
            }

            return null;
        }
        catch (ExtensionHandlerException ex)
        {
            return new PreparedInstall(0, null, ex.Message);
        }
        catch (Exception ex) when (ex is GuestSandboxException or IOException or ObjectDisposedException)
        {
            return new PreparedInstall(0, null, HandlerFailure(type, $"the VM's guest sandbox could not run the handler: {ex.Message}"));
        }
    }

    /// <summary>What the VM brings to the handler's run: its image publisher (where packages put dockerd) and whether
    /// the dpkg lock is held (<see cref="FaultKind.DpkgLockHeld"/>).</summary>
    private sealed record GuestConditions(string? ImagePublisher, bool DpkgLockHeld);

    /// <summary>The validated daemon material (or none), or the handler's failed status message; the script's in-VM
    /// check, if any (a verify-only CustomScript has a check and no daemon).</summary>
    /// <param name="RealStatus">Real-Docker mode: the status the handler reported after its work succeeded in the guest.</param>
    private sealed record PreparedInstall(
        int Port, DockerTlsMaterial? Material, string? Error, string Stdout = "", DockerVerifyPlan? Verify = null, bool RequireClientCertificate = true,
        string? RealStatus = null);

    private static PreparedInstall? PrepareInstall(string type, JsonObject? settings, JsonObject? protectedSettings, GuestConditions guest)
    {
        var stdout = string.Empty;
        try
        {
            DockerInstallPlan? plan;
            DockerVerifyPlan? verify = null;
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
                verify = DockerVerifyPlan.FromScript(script);
            }
            else if (type == "DockerExtension")
            {
                if (AzureEnvironmentError(settings) is { } invalid)
                {
                    return new PreparedInstall(0, null, HandlerFailure(type, invalid));
                }

                plan = DockerInstallPlan.FromDockerExtension(settings, protectedSettings);
            }
            else
            {
                return null;
            }

            return plan is null
                ? verify is null ? null : new PreparedInstall(0, null, null, stdout, verify)
                : new PreparedInstall(plan.Port, DockerTlsMaterial.Load(plan.CaPem, plan.CertPem, plan.KeyPem), null, stdout, verify, plan.RequireClientCertificate);
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

    /// <summary>How each handler reports a failure of what it ran: CustomScript as a script that exited 1 with the
    /// complaint on stderr, DockerExtension as its enable error.</summary>
    private static string HandlerFailure(string? type, string complaint, string stdout = "") =>
        type == "CustomScript" ? CustomScriptHandler.ExecFailed(1, stdout, complaint + "\n") : $"Enable failed: {complaint}";

    public override AzureError? Provision(ArmRuntime runtime, ArmResource resource)
    {
        var type = (string?)resource.Properties["type"];
        runtime.Docker.Stop(resource.Id);
        var prepared = (resource.Preparation as Task<PreparedInstall?>)?.Result;
        resource.Preparation = null;
        if (prepared?.Error is { } failure)
        {
            return Failed(runtime, resource, failure);
        }

        if (prepared?.RealStatus is { } real)
        {
            resource.StatusMessage = real;
            return null;
        }

        try
        {
            if (prepared is { Material: null, Verify: { } check })
            {
                // A verify-only CustomScript (next to DockerExtension): the check runs against the VM's daemon.
                var own = VirtualMachineType.PublicIpAddress(runtime, runtime.Store.Find(resource.ParentId!)!) ?? "127.0.0.1";
                resource.StatusMessage = CustomScriptHandler.Succeeded(prepared.Stdout + DockerVerifier.Run(check, own, runtime.Logger) + "\n", string.Empty);
                return null;
            }

            if (prepared?.Material is not { } material)
            {
                Log.ExtensionWithoutDaemon(runtime.Logger, resource.Id);
                resource.StatusMessage = type == "CustomScript" ? CustomScriptHandler.Succeeded(prepared?.Stdout ?? string.Empty, string.Empty) : "Enable succeeded";
                return null;
            }

            resource.StatusMessage = StartDaemon(runtime, resource, prepared, material, runCheck: true);
            return null;
        }
        catch (InvalidDataException ex)
        {
            // The script's own failure (the check's line on stdout, the complaint on stderr).
            return Failed(runtime, resource, HandlerFailure(type, ex.Message, (prepared?.Stdout ?? string.Empty) + (ex.Data[DockerVerifier.StdoutKey] as string)));
        }
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

    /// <summary>
    /// After a restart: a Docker host whose extension succeeded serves again, with the TLS material its settings carry;
    /// an install still in progress validates that material again before its operation completes.
    /// </summary>
    public override void Restored(ArmRuntime runtime, ArmResource resource)
    {
        var properties = resource.Properties;
        var type = (string?)properties["type"] ?? string.Empty;
        var settings = properties["settings"] as JsonObject;
        if (runtime.Guests is { } guests && resource.ParentId is not null && runtime.Store.Find(resource.ParentId) is { } parent)
        {
            // Real-Docker mode: the sandboxes went with the emulator that ran them. An install in progress runs again; a
            // succeeded one too, in the background (the VM "rebooted" with an empty disk), its status left as it was.
            var (vm, unreachable) = RealGuest(runtime, parent);
            var protectedSettings = resource.ProtectedSettings;
            if (resource.ActiveOperationId is not null && !resource.Deleting)
            {
                resource.Preparation = Task.Run(() => RunRealHandlerAsync(guests, vm, unreachable, type, settings, protectedSettings));
            }
            else if (resource.ProvisioningState == "Succeeded" && !resource.Deleting && vm is not null)
            {
                _ = Task.Run(async () =>
                {
                    if ((await RunRealHandlerAsync(guests, vm, unreachable, type, settings, protectedSettings))?.Error is { } error)
                    {
                        Log.DaemonNotRestored(runtime.Logger, resource.Id, error);
                    }
                });
            }

            return;
        }

        if (resource.ActiveOperationId is not null && !resource.Deleting)
        {
            var protectedSettings = resource.ProtectedSettings;
            var guest = RestoredGuest(runtime, resource);
            resource.Preparation = Task.Run(() => PrepareInstall(type, settings, protectedSettings, guest));
            return;
        }

        if (resource.ProvisioningState != "Succeeded" || resource.Deleting)
        {
            return;
        }

        var prepared = PrepareInstall(type, settings, resource.ProtectedSettings, RestoredGuest(runtime, resource));
        if (prepared?.Material is not { } material)
        {
            return;
        }

        try
        {
            StartDaemon(runtime, resource, prepared, material, runCheck: false);
        }
        catch (InvalidDataException ex)
        {
            Log.DaemonNotRestored(runtime.Logger, resource.Id, ex.Message);
        }
    }

    /// <summary>
    /// Starts the VM's daemon on its public IP and, when <paramref name="runCheck"/>, runs the script's in-VM check
    /// against it; returns the extension's status message. Throws InvalidDataException. A restored daemon is not
    /// checked again: its extension's status already holds the check's line.
    /// </summary>
    private static string StartDaemon(ArmRuntime runtime, ArmResource resource, PreparedInstall plan, DockerTlsMaterial material, bool runCheck)
    {
        var vm = runtime.Store.Find(resource.ParentId!)!;
        var address = VirtualMachineType.PublicIpAddress(runtime, vm);
        if (address is null)
        {
            material.Dispose();
            throw new InvalidDataException("the VM has no public IP address; the Docker endpoint would be unreachable");
        }

        var computerName = (string?)vm.Properties["osProfile"]?["computerName"] ?? vm.Name;
        runtime.Docker.Start(resource.Id, material, address, plan.Port, new DaemonIdentity((string?)vm.Properties["vmId"] ?? vm.Name, computerName), plan.RequireClientCertificate);
        var verified = runCheck && plan.Verify is { } verify ? DockerVerifier.Run(verify, address, runtime.Logger) + "\n" : string.Empty;
        return (string?)resource.Properties["type"] == "DockerExtension"
            ? $"Enable succeeded: Docker daemon listening on tcp://0.0.0.0:{plan.Port} with --tlsverify"
            : CustomScriptHandler.Succeeded(
                $"{plan.Stdout}docker.service: Started Docker Application Container Engine (tcp://0.0.0.0:{plan.Port}, --tlsverify)\n{verified}", string.Empty);
    }

    /// <summary>A restored extension's guest: its VM's image, and no fault (faults are not part of the saved state).</summary>
    private static GuestConditions RestoredGuest(ArmRuntime runtime, ArmResource resource) => new(
        (string?)runtime.Store.Find(resource.ParentId!)?.Properties["storageProfile"]?["imageReference"]?["publisher"], DpkgLockHeld: false);

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
