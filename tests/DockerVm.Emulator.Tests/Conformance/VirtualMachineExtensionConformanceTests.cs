using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Compute/virtualMachines/extensions at 2023-07-01, from the x-ms-examples of
/// specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2023-07-01/virtualMachine.json
/// (VirtualMachineExtensions_CreateOrUpdate: 200/201, long-running; _Get: 200; _Delete: 200/202/204). The workflow
/// (ExtensionPut, GetExtensionState, VerifyDockerEndpoint) starts the PUT, then GETs with $expand=instanceView and reads
/// properties.provisioningState and instanceView.statuses[].level/message/displayStatus (and substatuses[].code/message
/// where a handler reports them).
/// </summary>
/// <remarks>
/// The spec's generated examples use a made-up handler ("extPublisher"/"extType"), which Azure answers with
/// ArtifactNotFound, and the MinimumSet example sends no publisher, type or version, which Compute requires: both
/// omit what the service needs. The tests send the examples' shape with a real handler, CustomScript 2.1, as the
/// workflow does.
/// </remarks>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class VirtualMachineExtensionConformanceTests(EmulatorFixture fixture)
{
    private const string Api = SpecClient.ComputeApiVersion;

    // examples/virtualMachineExamples/VirtualMachineExtension_CreateOrUpdate_MaximumSet_Gen.json: every documented
    // property, instanceView included (read-only in effect), and tags.
    [Fact]
    public async Task VirtualMachineExtensionCreateOrUpdateMaximumSet_SpecExample_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var vm = await VmAsync(arm, "rg-spec-ext-create");
        var path = $"{vm}/extensions/myVMExtension";

        var (status, body, headers) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, ExtensionRequest().ToJsonString());
        var operation = await arm.PollAsyncOperationAsync(headers.GetValues("Azure-AsyncOperation").Single());

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal("Microsoft.Compute/virtualMachines/extensions", (string?)body["type"]);
        Assert.Equal("myVMExtension", (string?)body["name"]);
        Assert.Equal("aa", (string?)body["tags"]?["key9183"]);
        var properties = body["properties"]!;
        Assert.Equal("Creating", (string?)properties["provisioningState"]);
        Assert.Equal("Microsoft.Azure.Extensions", (string?)properties["publisher"]);
        Assert.Equal("CustomScript", (string?)properties["type"]);
        Assert.Equal("2.1", (string?)properties["typeHandlerVersion"]);
        Assert.True((bool?)properties["autoUpgradeMinorVersion"]);
        Assert.Equal("a", (string?)properties["forceUpdateTag"]);
        Assert.Null(properties["protectedSettings"]);
        Assert.Equal("Succeeded", (string?)operation["status"]);
    }

    // examples/virtualMachineExamples/VirtualMachineExtension_Get_MaximumSet_Gen.json with $expand=instanceView.
    [Fact]
    public async Task VirtualMachineExtensionGetMaximumSet_SpecExample_StateAndInstanceViewStatusesPresent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var vm = await VmAsync(arm, "rg-spec-ext-get");
        var path = $"{vm}/extensions/myVMExtension";
        using (var put = await arm.SendAsync(HttpMethod.Put, path, Api, ExtensionRequest().ToJsonString()))
        {
            await arm.PollAsyncOperationAsync(put.Headers.GetValues("Azure-AsyncOperation").Single());
        }

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api, query: "$expand=instanceView");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
        var view = body["properties"]!["instanceView"]!;
        Assert.Equal("myVMExtension", (string?)view["name"]);
        Assert.Equal("Microsoft.Azure.Extensions.CustomScript", (string?)view["type"]);
        var first = view["statuses"]!.AsArray().First()!;
        Assert.Equal("ProvisioningState/succeeded", (string?)first["code"]);
        Assert.Equal("Info", (string?)first["level"]);
        Assert.NotNull((string?)first["displayStatus"]);
        // Linux CustomScript 2.x puts the stdout/stderr tails in the message; VerifyDockerEndpoint parses them.
        Assert.Contains("[stdout]", (string?)first["message"], StringComparison.Ordinal);
    }

    // examples/virtualMachineExamples/VirtualMachineExtension_Delete_MinimumSet_Gen.json: 200, 202 with Location, 204.
    [Fact]
    public async Task VirtualMachineExtensionDeleteMinimumSet_SpecExample_AcceptedThenGone()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var vm = await VmAsync(arm, "rg-spec-ext-delete");
        var path = $"{vm}/extensions/aa";
        using (var put = await arm.SendAsync(HttpMethod.Put, path, Api, ExtensionRequest().ToJsonString()))
        {
            await arm.PollAsyncOperationAsync(put.Headers.GetValues("Azure-AsyncOperation").Single());
        }

        var (status, _, headers) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api);
        var final = status == HttpStatusCode.Accepted ? await arm.PollLocationAsync(headers.Location!.ToString()) : status;
        var (gone, _, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NoContent });
        Assert.Contains(final, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent });
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    private static async Task<string> VmAsync(SpecClient arm, string groupName)
    {
        var group = await arm.GroupAsync(groupName);
        var path = $"{group}/providers/Microsoft.Compute/virtualMachines/myVM";
        using var put = await arm.SendAsync(
            HttpMethod.Put, path, SpecClient.ComputeApiVersion, VirtualMachineConformanceTests.VmRequest(await arm.NicAsync(group, "spec-ext")).ToJsonString());
        await arm.PollAsyncOperationAsync(put.Headers.GetValues("Azure-AsyncOperation").Single());
        return path;
    }

    private static JsonObject ExtensionRequest() => new()
    {
        ["location"] = "westus",
        ["properties"] = new JsonObject
        {
            ["autoUpgradeMinorVersion"] = true,
            ["publisher"] = "Microsoft.Azure.Extensions",
            ["type"] = "CustomScript",
            ["typeHandlerVersion"] = "2.1",
            ["suppressFailures"] = false,
            ["settings"] = new JsonObject(),
            ["forceUpdateTag"] = "a",
            ["enableAutomaticUpgrade"] = false,
            ["protectedSettings"] = new JsonObject
            {
                ["script"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/sh\necho spec-conformance\n")),
            },
            ["instanceView"] = new JsonObject
            {
                ["name"] = "myVMExtension",
                ["type"] = "CustomScript",
                ["typeHandlerVersion"] = "2.1",
                ["statuses"] = new JsonArray(new JsonObject { ["code"] = "ignored", ["level"] = "Info", ["displayStatus"] = "ignored", ["message"] = "a" }),
            },
        },
        ["tags"] = new JsonObject { ["key9183"] = "aa" },
    };
}
