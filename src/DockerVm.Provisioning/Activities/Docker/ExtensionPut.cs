using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Activities.Docker;

/// <summary>Starts an extension PUT without waiting for it, idempotently: both installers and the verify-only check use it.</summary>
internal static class ExtensionPut
{
    /// <summary>Returns the operation ARM accepted. A 409 from a retry after a lost response (the first PUT is still
    /// running on the VM) counts as started when the extension exists; that operation is then followed through the
    /// extension's own provisioningState.</summary>
    public static Task<ArmOperationHandle> StartAsync(ArmClient arm, string vmResourceId, string name, VirtualMachineExtensionData data) =>
        AzureErrors.Call(async () =>
        {
            var id = new ResourceIdentifier(vmResourceId).AppendChildResource("extensions", name).ToString();
            var extensions = arm.GetVirtualMachineResource(new ResourceIdentifier(vmResourceId)).GetVirtualMachineExtensions();
            try
            {
                var operation = await extensions.CreateOrUpdateAsync(WaitUntil.Started, name, data);
                return ArmOperationHeaders.Handle(id, operation.GetRawResponse());
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                if (!(await extensions.ExistsAsync(name)).Value)
                {
                    throw;
                }

                return ArmOperationHandle.ByResource(id);
            }
        });
}
