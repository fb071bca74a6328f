using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Compute;

/// <summary>
/// What the CustomScript 2.x handler (Azure/custom-script-extension-linux, main/) does with its settings before it runs
/// anything, with its own error texts: the JSON schemas of public and protected settings (main/schema.go,
/// <c>additionalProperties: false</c>), the logical rules (main/handlersettings.go <c>validate()</c>), and the script's
/// size limit, base64 and optional gzip (main/cmds.go <c>writeTempScript</c>, <c>decodeScript</c>). Messages are the
/// status the handler reports (<c>Enable failed: …</c>, main/status.go <c>statusMsg</c>) from the error chain its
/// <c>enable</c> builds.
/// </summary>
/// <remarks>
/// Modelled on the handler as released up to 2.1.16 (the parent of commit 1277f80, "Supports User Errors"). From 2.1.17
/// the handler's source drops the result of <c>validate()</c> (<c>if ewc := h.validate(); err != nil</c> tests the wrong
/// variable) and reports success without running anything when the script cannot be decoded (<c>return nil</c> in
/// <c>runCmd</c>). The emulator keeps refusing both: on such a handler the same settings would "succeed" and leave no
/// Docker daemon, which is a failure either way.
/// </remarks>
internal static partial class CustomScriptHandler
{
    /// <summary><c>maxScriptSize</c> in main/cmds.go, compared with the length of the base64 text.</summary>
    public const int MaxScriptSize = 256 * 1024;

    private static readonly string[] PublicProperties = ["commandToExecute", "script", "skipDos2Unix", "fileUris", "timestamp"];

    private static readonly string[] ProtectedProperties = ["commandToExecute", "fileUris", "script", "storageAccountName", "storageAccountKey", "managedIdentity"];

    /// <summary>
    /// Validates the settings like the handler's <c>enable</c> and returns the script it would run (decoded, CRLF
    /// kept: dos2unix is the shell's business here), or null when it would run <c>commandToExecute</c> instead (the
    /// emulator cannot run it). Throws <see cref="ExtensionHandlerException"/> with the handler's status message.
    /// </summary>
    public static string? ScriptToRun(JsonObject? settings, JsonObject? protectedSettings)
    {
        ValidateSchema("public", settings, PublicProperties);
        ValidateSchema("protected", protectedSettings, ProtectedProperties);

        var publicCommand = Text(settings, "commandToExecute");
        var protectedCommand = Text(protectedSettings, "commandToExecute");
        var publicScript = Text(settings, "script");
        var protectedScript = Text(protectedSettings, "script");
        var command = publicCommand ?? protectedCommand;
        var script = publicScript ?? protectedScript;

        // handlersettings.go validate(), in its order.
        if (command is null && script is null)
        {
            throw InvalidConfiguration("'commandToExecute' is not specified");
        }

        if (publicCommand is not null && protectedCommand is not null)
        {
            throw InvalidConfiguration("'commandToExecute' was specified both in public and protected settings; it must be specified only once");
        }

        if (publicScript is not null && protectedScript is not null)
        {
            throw InvalidConfiguration("'script' was specified both in public and protected settings; it must be specified only once");
        }

        if (settings?["fileUris"] is JsonArray { Count: > 0 } && protectedSettings?["fileUris"] is JsonArray { Count: > 0 })
        {
            throw InvalidConfiguration("'fileUris' were specified both in public and protected settings; it must be specified only once");
        }

        if (command is not null && script is not null)
        {
            throw InvalidConfiguration("'commandToExecute' and 'script' were both specified, but only one is validate at a time");
        }

        if ((Text(protectedSettings, "storageAccountName") is null) != (Text(protectedSettings, "storageAccountKey") is null))
        {
            throw InvalidConfiguration("both 'storageAccountName' and 'storageAccountKey' must be specified");
        }

        if ((Text(protectedSettings, "storageAccountName") ?? Text(protectedSettings, "storageAccountKey")) is not null && protectedSettings?["managedIdentity"] is not null)
        {
            throw InvalidConfiguration("'storageAccountName' or 'storageAccountKey' must not be specified with 'managedServiceIdentity'");
        }

        if (protectedSettings?["managedIdentity"] is JsonObject identity && Text(identity, "clientId") is not null && Text(identity, "objectId") is not null)
        {
            throw InvalidConfiguration("only one of 'clientId' or 'objectId' must be specified with 'managedServiceIdentity'");
        }

        // runCmd: commandToExecute (public, then protected) wins; a script is decoded only when there is none.
        return command is not null ? null : Decode(script!);
    }

    /// <summary>The <c>commandToExecute</c> the handler runs (public first, then protected) when <see cref="ScriptToRun"/>
    /// returned null; call it after <see cref="ScriptToRun"/>, which validates the settings.</summary>
    public static string? CommandToRun(JsonObject? settings, JsonObject? protectedSettings) =>
        Text(settings, "commandToExecute") ?? Text(protectedSettings, "commandToExecute");

    /// <summary>The last <paramref name="maxLength"/> bytes of a handler's output file, as the status carries them
    /// (main/cmds.go <c>maxTailLen</c>, main/logtail.go <c>tailFile</c>).</summary>
    public static string Tail(string output, int maxLength = 4 * 1024)
    {
        ArgumentNullException.ThrowIfNull(output);
        var bytes = Encoding.UTF8.GetBytes(output);
        return bytes.Length <= maxLength ? output : Encoding.UTF8.GetString(bytes, bytes.Length - maxLength, maxLength);
    }

    /// <summary>The status of a script that exited with <paramref name="exitCode"/> (exec.go, cmds.go <c>enable</c>).</summary>
    public static string ExecFailed(int exitCode, string stdout, string stderr) =>
        $"Enable failed: failed to execute command: command terminated with exit status={exitCode}\n[stdout]\n{stdout}\n[stderr]\n{stderr}";

    /// <summary>The status of a script that exited 0.</summary>
    public static string Succeeded(string stdout, string stderr) => $"Enable succeeded: \n[stdout]\n{stdout}\n[stderr]\n{stderr}";

    /// <summary><c>writeTempScript</c> and <c>decodeScript</c>: size of the base64 text, strict base64, gzip when the
    /// bytes carry a gzip header (anything else is taken as plain text).</summary>
    private static string Decode(string encoded)
    {
        if (encoded.Length > MaxScriptSize)
        {
            throw BeforeExec($"The script's length ({encoded.Length}) exceeded the maximum allowed length of {MaxScriptSize}!");
        }

        var bytes = GoBase64(encoded);
        if (bytes is [0x1f, 0x8b, 0x08, _, _, _, _, _, _, _, ..])
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            try
            {
                gzip.CopyTo(plain);
            }
            catch (InvalidDataException)
            {
                // Go's gzip reader on a damaged or truncated stream; the emulator cannot tell which of its errors.
                throw BeforeExec("failed to decompress script: unexpected EOF");
            }

            bytes = plain.ToArray();
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Go's <c>base64.StdEncoding.DecodeString</c>: the standard alphabet with '=' padding, '\r' and '\n' skipped, any
    /// other character (spaces, URL-safe '-'/'_', missing padding) refused with the offset Go reports.
    /// </summary>
    private static byte[] GoBase64(string encoded)
    {
        var clean = new StringBuilder(encoded.Length);
        var offsets = new List<int>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c is '\r' or '\n')
            {
                continue;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                throw IllegalBase64(i);
            }

            clean.Append(c);
            offsets.Add(i);
        }

        var text = clean.ToString();
        var firstPad = text.IndexOf('=', StringComparison.Ordinal);
        if (firstPad >= 0 && (firstPad < text.Length - 2 || text[firstPad..].Any(c => c != '=') || text.Length % 4 != 0))
        {
            throw IllegalBase64(offsets[firstPad]);
        }

        if (text.Length % 4 != 0)
        {
            // Go stops at the incomplete last quantum and reports where it starts.
            throw IllegalBase64(offsets[text.Length - (text.Length % 4)]);
        }

        return Convert.FromBase64String(text);
    }

    private static ExtensionHandlerException IllegalBase64(int offset) =>
        BeforeExec($"failed to decode script: illegal base64 data at input byte {offset}");

    /// <summary>A failure of <c>writeTempScript</c>: enable appends the (empty) output tails.</summary>
    private static ExtensionHandlerException BeforeExec(string error) => new($"Enable failed: {error}\n[stdout]\n\n[stderr]\n");

    private static ExtensionHandlerException InvalidConfiguration(string error) =>
        new($"Enable failed: failed to get configuration: invalid configuration: {error}");

    private static ExtensionHandlerException SchemaError(string settingsType, string error) =>
        new($"Enable failed: failed to get configuration: json validation error: invalid {settingsType} settings JSON: {error}");

    /// <summary>The schema checks of main/schema.go, reported the way gojsonschema words its first error.</summary>
    private static void ValidateSchema(string settingsType, JsonObject? settings, string[] allowed)
    {
        if (settings is null)
        {
            return;
        }

        foreach (var (name, _) in settings)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw SchemaError(settingsType, $"(root): Additional property {name} is not allowed");
            }
        }

        foreach (var (name, value) in settings)
        {
            var expected = name switch
            {
                "skipDos2Unix" => "boolean",
                "timestamp" => "integer",
                "fileUris" => "array",
                "managedIdentity" => "object",
                _ => "string",
            };
            var given = JsonType(value);
            if (given != expected)
            {
                throw SchemaError(settingsType, $"(root).{name}: Invalid type. Expected: {expected}, given: {given}");
            }

            switch (name)
            {
                case "fileUris":
                    var items = (JsonArray)value!;
                    for (var i = 0; i < items.Count; i++)
                    {
                        if (JsonType(items[i]) != "string")
                        {
                            throw SchemaError(settingsType, $"(root).fileUris.{i}: Invalid type. Expected: string, given: {JsonType(items[i])}");
                        }

                        if (!Uri.TryCreate((string)items[i]!, UriKind.Absolute, out _))
                        {
                            throw SchemaError(settingsType, $"(root).fileUris.{i}: Does not match format 'uri'");
                        }
                    }

                    break;
                case "storageAccountName" when !StorageAccountName().IsMatch((string)value!):
                    throw SchemaError(settingsType, $"(root).storageAccountName: Does not match pattern '{StorageAccountName()}'");
                case "storageAccountKey" when !StorageAccountKey().IsMatch((string)value!):
                    throw SchemaError(settingsType, $"(root).storageAccountKey: Does not match pattern '{StorageAccountKey()}'");
                case "managedIdentity":
                    foreach (var (idName, idValue) in (JsonObject)value!)
                    {
                        if (idName is "objectId" or "clientId" && (JsonType(idValue) != "string" || !Guid().IsMatch((string)idValue!)))
                        {
                            throw SchemaError(settingsType, JsonType(idValue) != "string"
                                ? $"(root).managedIdentity.{idName}: Invalid type. Expected: string, given: {JsonType(idValue)}"
                                : $"(root).managedIdentity.{idName}: Does not match pattern '{Guid()}'");
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>JSON Schema type names as gojsonschema reports them.</summary>
    private static string JsonType(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => node.AsValue().TryGetValue<long>(out _) ? "integer" : "number",
    };

    /// <summary>A string setting as the handler's Go struct sees it: absent and "" are the same.</summary>
    private static string? Text(JsonObject? settings, string name) =>
        settings?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex StorageAccountName();

    [GeneratedRegex("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$")]
    private static partial Regex StorageAccountKey();

    [GeneratedRegex("^(?:[0-9A-Fa-f]{8}[-][0-9A-Fa-f]{4}[-][0-9A-Fa-f]{4}[-][0-9A-Fa-f]{4}[-][0-9A-Fa-f]{12})$")]
    private static partial Regex Guid();
}
