using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DockerVm.Api.Queues;

/// <summary>
/// Makes a refused queue message safe to keep: a JSON message keeps its shape with every sensitive value replaced by
/// <see cref="Marker"/> (values holding a private key, values of members whose name says secret, password, token,
/// credential, private key or key material, and known secret formats: <c>whsec_…</c> signing secrets, storage keys
/// and SAS signatures, JWTs); text that is not JSON gets the same treatment by pattern. When key material would
/// still be left, nothing of the message is kept.
/// </summary>
internal static partial class PoisonRedaction
{
    public const string Marker = "[redacted]";

    private static readonly string[] SensitiveNameParts =
        ["secret", "password", "passwd", "passphrase", "token", "privatekey", "keymaterial", "credential", "apikey", "accesskey", "accountkey", "connectionstring", "sharedaccess"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The redacted text and the places where something was removed (JSON paths, or <c>text</c>).</summary>
    public static (string Text, IReadOnlyList<string> Redactions) Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var redactions = new List<string>();
        string result;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                Write(writer, document.RootElement, "$", redactions);
            }

            // Nothing to remove: keep the exact text (the rewrite would normalize escapes and spacing).
            result = redactions.Count == 0 ? text : Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            result = RedactText(text, redactions);
        }

        if (KeyMaterial.ContainsPrivateKey(result))
        {
            redactions.Add("$");
            return ($"{Marker} (the message holds key material that could not be isolated)", redactions);
        }

        return (result, redactions);
    }

    /// <summary>Free text (an error message, a field name): patterns only.</summary>
    public static string RedactText(string text)
    {
        var result = RedactText(text, []);
        return KeyMaterial.ContainsPrivateKey(result) ? Marker : result;
    }

    public static bool IsSensitiveName(string name)
    {
        var normalized = new string([.. name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        return SensitiveNameParts.Any(part => normalized.Contains(part, StringComparison.Ordinal));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, string path, List<string> redactions)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    var child = $"{path}.{property.Name}";
                    if (KeyMaterial.ContainsPrivateKey(property.Name))
                    {
                        redactions.Add($"{path}.{Marker}");
                        writer.WriteString(Marker, Marker);
                    }
                    else if (IsSensitiveName(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                    {
                        redactions.Add(child);
                        writer.WriteString(property.Name, Marker);
                    }
                    else
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value, child, redactions);
                    }
                }

                writer.WriteEndObject();
                return;

            case JsonValueKind.Array:
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, $"{path}[{index++}]", redactions);
                }

                writer.WriteEndArray();
                return;

            case JsonValueKind.String:
                var value = element.GetString()!;
                if (KeyMaterial.ContainsPrivateKey(value))
                {
                    redactions.Add(path);
                    writer.WriteStringValue(Marker);
                    return;
                }

                var redacted = SecretValue().Replace(value, m => m.Groups["keep"].Value + Marker);
                if (redacted != value)
                {
                    redactions.Add(path);
                }

                writer.WriteStringValue(redacted);
                return;

            default:
                element.WriteTo(writer);
                return;
        }
    }

    private static string RedactText(string text, List<string> redactions)
    {
        var result = PemPrivateKey().Replace(text, Marker);
        result = PuttyKey().Replace(result, Marker);
        result = SensitivePair().Replace(result, m => $"{m.Groups["name"].Value}\"{Marker}\"");
        result = SecretValue().Replace(result, m => m.Groups["keep"].Value + Marker);
        if (result != text)
        {
            redactions.Add("text");
        }

        return result;
    }

    /// <summary>A PEM private key up to its END line, or (in cut-off or escaped text) up to the next quote or the end.</summary>
    [GeneratedRegex("""-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|(?=")|$)""")]
    private static partial Regex PemPrivateKey();

    [GeneratedRegex("""PuTTY-User-Key-File-[\s\S]*?(Private-MAC:[^\r\n"]*|(?=")|$)""", RegexOptions.IgnoreCase)]
    private static partial Regex PuttyKey();

    /// <summary>A <c>"…secret…": value</c> pair in text that is not (complete) JSON.</summary>
    [GeneratedRegex("""(?<name>"[^"\\]{0,100}(secret|password|passwd|passphrase|token|private_?key|key_?material|credential|api_?key|access_?key|account_?key|connection_?string)[^"\\]{0,100}"\s*:\s*)("(?:[^"\\]|\\.)*("|$)|[^,}\]\s]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex SensitivePair();

    /// <summary>Standard Webhooks secrets, storage account keys and SAS signatures, passwords in connection strings, JWTs.</summary>
    [GeneratedRegex("""(?<keep>)whsec_[A-Za-z0-9+/=_-]{8,}|(?<keep>(?i:AccountKey|SharedAccessKey|SharedAccessSignature|sig|password|pwd)=)[^;&\s"]+|(?<keep>)eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*""")]
    private static partial Regex SecretValue();
}
