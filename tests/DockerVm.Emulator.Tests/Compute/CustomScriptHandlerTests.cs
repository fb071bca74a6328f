using System.IO.Compression;
using System.Text;
using Azure;
using Azure.Core;
using Azure.ResourceManager.Compute;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Compute;

/// <summary>
/// The CustomScript 2.x handler's own rules, as Azure/custom-script-extension-linux enforces them before running
/// anything (main/schema.go, main/handlersettings.go validate(), main/cmds.go writeTempScript/decodeScript), driven
/// through the real Compute SDK: the PUT is accepted, the extension ends Failed with VMExtensionProvisioningError and
/// the handler's status message.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class CustomScriptHandlerTests(EmulatorFixture fixture)
{
    private static readonly string Script = Base64("#!/bin/bash\necho hello\n");
    private static readonly string[] FileA = ["https://example.com/a.sh"];
    private static readonly string[] FileB = ["https://example.com/b.sh"];

    public static TheoryData<string, object?, object?, string> Refused => new()
    {
        {
            "schema-protected",
            null,
            new { script = Script, timeout = 60 },
            "Enable failed: failed to get configuration: json validation error: invalid protected settings JSON: (root): Additional property timeout is not allowed"
        },
        {
            "schema-public",
            new { commandToExecute = "echo hi", skipDos2unix = true },
            null,
            "Enable failed: failed to get configuration: json validation error: invalid public settings JSON: (root): Additional property skipDos2unix is not allowed"
        },
        {
            "schema-type",
            new { timestamp = "now" },
            new { script = Script },
            "Enable failed: failed to get configuration: json validation error: invalid public settings JSON: (root).timestamp: Invalid type. Expected: integer, given: string"
        },
        {
            "script-and-command",
            null,
            new { script = Script, commandToExecute = "echo hi" },
            "Enable failed: failed to get configuration: invalid configuration: 'commandToExecute' and 'script' were both specified, but only one is validate at a time"
        },
        {
            "command-public-script-protected",
            new { commandToExecute = "echo hi" },
            new { script = Script },
            "Enable failed: failed to get configuration: invalid configuration: 'commandToExecute' and 'script' were both specified, but only one is validate at a time"
        },
        {
            "script-twice",
            new { script = Script },
            new { script = Script },
            "Enable failed: failed to get configuration: invalid configuration: 'script' was specified both in public and protected settings; it must be specified only once"
        },
        {
            "file-uris-twice",
            new { fileUris = FileA },
            new { script = Script, fileUris = FileB },
            "Enable failed: failed to get configuration: invalid configuration: 'fileUris' were specified both in public and protected settings; it must be specified only once"
        },
        {
            "nothing-to-run",
            null,
            new { fileUris = FileA },
            "Enable failed: failed to get configuration: invalid configuration: 'commandToExecute' is not specified"
        },
        {
            "storage-key-alone",
            null,
            new { script = Script, storageAccountKey = "a2V5a2V5a2V5" },
            "Enable failed: failed to get configuration: invalid configuration: both 'storageAccountName' and 'storageAccountKey' must be specified"
        },
        {
            "base64-url-alphabet",
            null,
            new { script = "IyEvYmluL2Jhc2gK-_8=" },
            "Enable failed: failed to decode script: illegal base64 data at input byte 16\n[stdout]\n\n[stderr]\n"
        },
        {
            "base64-unpadded",
            null,
            new { script = "IyEvYmluL2Jhc2gKZWNobw" },
            "Enable failed: failed to decode script: illegal base64 data at input byte 20\n[stdout]\n\n[stderr]\n"
        },
        {
            "script-too-long",
            null,
            new { script = new string('A', (256 * 1024) + 4) },
            "Enable failed: The script's length (262148) exceeded the maximum allowed length of 262144!\n[stdout]\n\n[stderr]\n"
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task CustomScriptPut_SettingsTheHandlerRefuses_ExtensionFailsWithHandlersMessage(string rule, object? settings, object? protectedSettings, string expected)
    {
        var vm = await VmAsync($"rg-cse-{rule}");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "cse", Extension(settings, protectedSettings)));
        var extension = (await vm.GetVirtualMachineExtensionAsync("cse", expand: "instanceView")).Value;

        Assert.Equal("VMExtensionProvisioningError", error.ErrorCode);
        Assert.Equal("Failed", extension.Data.ProvisioningState);
        var status = Assert.Single(extension.Data.InstanceView.Statuses);
        Assert.Equal(
            $"VM has reported a failure when processing extension 'cse' (publisher 'Microsoft.Azure.Extensions' and type 'CustomScript'). Error message: '{expected}'. More information on troubleshooting is available at https://aka.ms/VMExtensionCSELinuxTroubleshoot.",
            status.Message);
    }

    public static TheoryData<string, object?, object?> Accepted => new()
    {
        { "protected-script", null, new { script = Script } },
        { "public-script-skip-dos2unix-timestamp", new { script = Script, skipDos2Unix = true, timestamp = 3 }, null },
        { "script-with-file-uris", null, new { script = Script, fileUris = FileA } },
        { "script-with-crlf-line-breaks", null, new { script = Script[..8] + "\r\n" + Script[8..] } },
        { "gzip-script", null, new { script = Gzip("#!/bin/bash\necho hello\n") } },
        { "command-only", new { commandToExecute = "echo hi" }, null },
        { "empty-strings-ignored", new { commandToExecute = string.Empty }, new { script = Script } },
    };

    /// <summary>handlersettings.go allows script with fileUris (only script with commandToExecute is exclusive).</summary>
    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task CustomScriptPut_SettingsTheHandlerAccepts_Succeeds(string rule, object? settings, object? protectedSettings)
    {
        var vm = await VmAsync($"rg-cse-ok-{rule}");

        var extension = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "cse", Extension(settings, protectedSettings))).Value;

        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
    }

    private async Task<VirtualMachineResource> VmAsync(string groupName)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, groupName);
        var network = await Scenario.NetworkAsync(arm, group, "cse");
        return await Scenario.VmAsync(group, "vm-cse", network.NicId);
    }

    private static VirtualMachineExtensionData Extension(object? settings, object? protectedSettings) => new(new AzureLocation(Scenario.Location))
    {
        Publisher = "Microsoft.Azure.Extensions",
        ExtensionType = "CustomScript",
        TypeHandlerVersion = "2.1",
        Settings = settings is null ? null : BinaryData.FromObjectAsJson(settings),
        ProtectedSettings = protectedSettings is null ? null : BinaryData.FromObjectAsJson(protectedSettings),
    };

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }
}
