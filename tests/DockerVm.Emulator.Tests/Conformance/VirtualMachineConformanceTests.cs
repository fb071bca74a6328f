using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Compute/virtualMachines at 2023-07-01, from the x-ms-examples of
/// specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2023-07-01/virtualMachine.json
/// (CreateOrUpdate: 200/201, long-running; Get: 200; InstanceView: 200; Delete: 200/202/204, long-running). The
/// workflow starts the PUT (StartVirtualMachineCreation), then polls properties.provisioningState (GetVirtualMachineState),
/// reads instanceView.statuses[].code/message/displayStatus on failure, reads tags on a 409 retry, and deletes the VM.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class VirtualMachineConformanceTests(EmulatorFixture fixture)
{
    private const string Api = SpecClient.ComputeApiVersion;

    // examples/virtualMachineExamples/VirtualMachine_Create_WithSshAuthentication.json. The example's image is
    // placeholders ({image_publisher}...); its response names Canonical UbuntuServer 16.04-LTS, a Generation 1 image
    // for its Standard_D1_v2: a Generation 1 Ubuntu the catalog serves stands in. {your-username} is a placeholder too.
    [Fact]
    public async Task VirtualMachineCreateWithSshAuthentication_SpecExample_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-vm-create");
        var nicId = await arm.NicAsync(group, "spec-vm");
        var path = $"{group}/providers/Microsoft.Compute/virtualMachines/myVM";

        var (status, body, headers) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, VmRequest(nicId).ToJsonString());
        var operation = await arm.PollAsyncOperationAsync(headers.GetValues("Azure-AsyncOperation").Single());
        var (_, final, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal("Microsoft.Compute/virtualMachines", (string?)body["type"]);
        Assert.Equal("Creating", (string?)body["properties"]?["provisioningState"]);
        Assert.NotNull((string?)body["properties"]?["vmId"]);
        Assert.Equal("Linux", (string?)body["properties"]?["storageProfile"]?["osDisk"]?["osType"]);
        Assert.Equal("myVMosdisk", (string?)body["properties"]?["storageProfile"]?["osDisk"]?["name"]);
        Assert.True((bool?)body["properties"]?["osProfile"]?["linuxConfiguration"]?["disablePasswordAuthentication"]);
        Assert.NotNull(body["properties"]?["osProfile"]?["secrets"]);
        Assert.Equal("Succeeded", (string?)operation["status"]);
        Assert.Equal("Succeeded", (string?)final["properties"]?["provisioningState"]);
    }

    // examples/virtualMachineExamples/VirtualMachine_Get.json ($expand=userData).
    [Fact]
    public async Task VirtualMachineGet_SpecExample_StateTagsAndDiskIdPresent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-vm-get");
        var path = $"{group}/providers/Microsoft.Compute/virtualMachines/myVM";
        var request = VmRequest(await arm.NicAsync(group, "spec-vm"));
        request["tags"] = new JsonObject { ["myTag1"] = "tagValue1" };
        (await arm.SendAsync(HttpMethod.Put, path, Api, request.ToJsonString())).Dispose();

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api, query: "$expand=userData");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("myVM", (string?)body["name"]);
        Assert.Equal("tagValue1", (string?)body["tags"]?["myTag1"]);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
        Assert.Equal("Standard_D1_v2", (string?)body["properties"]?["hardwareProfile"]?["vmSize"]);
        Assert.EndsWith("/providers/Microsoft.Compute/disks/myVMosdisk", (string?)body["properties"]?["storageProfile"]?["osDisk"]?["managedDisk"]?["id"], StringComparison.OrdinalIgnoreCase);
        Assert.NotNull((string?)body["properties"]?["timeCreated"]);
    }

    // examples/virtualMachineExamples/VirtualMachine_Get_InstanceView.json: statuses carry code, level, displayStatus.
    [Fact]
    public async Task VirtualMachineGetInstanceView_SpecExample_ProvisioningAndPowerStatuses()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-vm-view");
        var path = $"{group}/providers/Microsoft.Compute/virtualMachines/myVM";
        (await arm.SendAsync(HttpMethod.Put, path, Api, VmRequest(await arm.NicAsync(group, "spec-vm")).ToJsonString())).Dispose();

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Get, $"{path}/instanceView", Api);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("myVM", (string?)body["computerName"]);
        var statuses = body["statuses"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(["ProvisioningState/succeeded", "PowerState/running"], statuses.Select(s => (string?)s["code"]));
        Assert.All(statuses, s => Assert.Equal("Info", (string?)s["level"]));
        Assert.Equal(["Provisioning succeeded", "VM running"], statuses.Select(s => (string?)s["displayStatus"]));
        Assert.NotNull((string?)body["vmAgent"]?["statuses"]?[0]?["code"]);
        Assert.NotNull(body["disks"]);
    }

    // examples/virtualMachineExamples/VirtualMachine_Delete_Force.json (forceDeletion=true): 200, 202 with Location, 204.
    [Fact]
    public async Task VirtualMachineDeleteForce_SpecExample_AcceptedThenGone()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-vm-delete");
        var path = $"{group}/providers/Microsoft.Compute/virtualMachines/myVM";
        (await arm.SendAsync(HttpMethod.Put, path, Api, VmRequest(await arm.NicAsync(group, "spec-vm")).ToJsonString())).Dispose();

        var (status, _, headers) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api, query: "forceDeletion=true");
        var final = status == HttpStatusCode.Accepted ? await arm.PollLocationAsync(headers.Location!.ToString()) : status;
        var (gone, _, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NoContent });
        Assert.Contains(final, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent });
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    /// <summary>The example's body: Standard_D1_v2, managed Standard_LRS OS disk "myVMosdisk", SSH key only, the NIC as primary.</summary>
    internal static JsonObject VmRequest(string nicId) => new()
    {
        ["location"] = "westus",
        ["properties"] = new JsonObject
        {
            ["hardwareProfile"] = new JsonObject { ["vmSize"] = "Standard_D1_v2" },
            ["storageProfile"] = new JsonObject
            {
                ["imageReference"] = new JsonObject
                {
                    ["sku"] = "22_04-lts",
                    ["publisher"] = "Canonical",
                    ["version"] = "latest",
                    ["offer"] = "0001-com-ubuntu-server-jammy",
                },
                ["osDisk"] = new JsonObject
                {
                    ["caching"] = "ReadWrite",
                    ["managedDisk"] = new JsonObject { ["storageAccountType"] = "Standard_LRS" },
                    ["name"] = "myVMosdisk",
                    ["createOption"] = "FromImage",
                },
            },
            ["osProfile"] = new JsonObject
            {
                ["adminUsername"] = "azureuser",
                ["computerName"] = "myVM",
                ["linuxConfiguration"] = new JsonObject
                {
                    ["ssh"] = new JsonObject
                    {
                        ["publicKeys"] = new JsonArray(new JsonObject
                        {
                            ["path"] = "/home/azureuser/.ssh/authorized_keys",
                            ["keyData"] = Scenario.SshKey,
                        }),
                    },
                    ["disablePasswordAuthentication"] = true,
                },
            },
            ["networkProfile"] = new JsonObject
            {
                ["networkInterfaces"] = new JsonArray(new JsonObject { ["id"] = nicId, ["properties"] = new JsonObject { ["primary"] = true } }),
            },
        },
    };
}
