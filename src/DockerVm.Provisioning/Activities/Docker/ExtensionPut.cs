using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using DockerVm.Provisioning.Azure;

namespace DockerVm.Provisioning.Activities.Docker;

/// <summary>Starts an extension PUT without waiting for it, idempotently: both installers and the verify-only check use it.</summary>
internal static class ExtensionPut
{
    /// <summary>Returns the extension's resource id. A 409 from a retry after a lost response (the first PUT is still
    /// running on the VM) counts as started when the extension exists.</summary>
    public static Task<string> StartAsync(ArmClient arm, string vmResourceId, string name, VirtualMachineExtensionData data) =>
        AzureErrors.Call(async () =>
        {
            var extensions = arm.GetVirtualMachineResource(new ResourceIdentifier(vmResourceId)).GetVirtualMachineExtensions();
            try
            {
                await extensions.CreateOrUpdateAsync(WaitUntil.Started, name, data);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                if (!(await extensions.ExistsAsync(name)).Value)
                {
                    throw;
                }
            }

            return new ResourceIdentifier(vmResourceId).AppendChildResource("extensions", name).ToString();
        });
}
