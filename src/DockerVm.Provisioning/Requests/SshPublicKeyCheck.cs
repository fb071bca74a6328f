using System.Buffers.Binary;
using System.Text;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Parses an OpenSSH public key line (<c>type base64-blob [comment]</c>) down to the wire-format blob (RFC 4253 §6.6,
/// RFC 8709) so that key size and length are checked for real, not guessed from the prefix.
/// </summary>
internal static class SshPublicKeyCheck
{
    public const int MinimumRsaBits = 2048;
    private const int MaximumLength = 16 * 1024;

    /// <summary>Null when the key is acceptable; otherwise the rule id and a message that never echoes the input.</summary>
    public static (string Rule, string Message)? Check(string text)
    {
        var line = text.Trim();
        if (line.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase) || line.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return (ValidationRules.SshKeyPrivateKey, "This is a private key. Send only the public key (the content of the .pub file); rotate the private key, it has been exposed.");
        }

        if (line.StartsWith("---- BEGIN SSH2 PUBLIC KEY", StringComparison.Ordinal))
        {
            return (ValidationRules.SshKeyMalformed, "RFC 4716 (SSH2) key format is not accepted; convert it with 'ssh-keygen -i -f key.pub' to the OpenSSH one-line format.");
        }

        if (line.Length > MaximumLength || line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal))
        {
            return (ValidationRules.SshKeyMalformed, "Expected one OpenSSH public key on a single line: '<type> <base64> [comment]'.");
        }

        var parts = line.Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return (ValidationRules.SshKeyMalformed, "Expected an OpenSSH public key: '<type> <base64> [comment]'. Passwords are never accepted.");
        }

        var type = parts[0];
        if (type is not ("ssh-ed25519" or "ssh-rsa"))
        {
            // Azure takes ssh-rsa and ssh-ed25519 only (Compute SshEncryptionTypes: RSA, Ed25519; the VM PUT refuses the
            // rest with "InvalidParameter: The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid",
            // MicrosoftDocs/azure-docs#112770): refused here, before any network or secret exists.
            return type is "ssh-dss" || type.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) || type.StartsWith("sk-", StringComparison.Ordinal) || type.Contains("-cert-v01@", StringComparison.Ordinal)
                ? (ValidationRules.SshKeyUnsupportedType, $"Key type '{Printable(type)}' is not supported: Azure accepts ssh-ed25519 and ssh-rsa of at least {MinimumRsaBits} bits only.")
                : (ValidationRules.SshKeyMalformed, "Expected an OpenSSH public key starting with ssh-ed25519 or ssh-rsa.");
        }

        var blob = new byte[parts[1].Length];
        if (!Convert.TryFromBase64String(parts[1], blob, out var blobLength))
        {
            return (ValidationRules.SshKeyMalformed, "The key data is not valid base64.");
        }

        var reader = new WireReader(blob.AsSpan(0, blobLength));
        if (!reader.TryReadString(out var blobType) || !blobType.SequenceEqual(Encoding.ASCII.GetBytes(type)))
        {
            return (ValidationRules.SshKeyMalformed, "The key data does not match its declared type.");
        }

        return type == "ssh-ed25519" ? CheckEd25519(ref reader) : CheckRsa(ref reader);
    }

    private static (string, string)? CheckEd25519(ref WireReader reader) =>
        reader.TryReadString(out var key) && key.Length == 32 && reader.AtEnd
            ? null
            : (ValidationRules.SshKeyMalformed, "An ssh-ed25519 key must carry exactly 32 bytes of key data.");

    private static (string, string)? CheckRsa(ref WireReader reader)
    {
        if (!reader.TryReadString(out var exponent) || !reader.TryReadString(out var modulus) || !reader.AtEnd)
        {
            return (ValidationRules.SshKeyMalformed, "The ssh-rsa key data is truncated or has trailing bytes.");
        }

        var e = exponent.TrimStart((byte)0);
        if (e.Length == 0 || (e[^1] & 1) == 0 || (e.Length == 1 && e[0] < 3))
        {
            return (ValidationRules.SshKeyMalformed, "The ssh-rsa public exponent is not valid.");
        }

        var n = modulus.TrimStart((byte)0);
        var bits = n.Length == 0 ? 0 : ((n.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)n[0]));
        return bits >= MinimumRsaBits
            ? null
            : (ValidationRules.SshKeyTooWeak, $"The ssh-rsa key has {bits} bits; at least {MinimumRsaBits} are required.");
    }

    private static string Printable(string value) =>
        value.Length <= 40 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '@' or '.') ? value : "(unprintable)";

    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool TryReadString(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < 4)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            if (length > (uint)(_rest.Length - 4))
            {
                return false;
            }

            value = _rest.Slice(4, (int)length);
            _rest = _rest[(4 + (int)length)..];
            return true;
        }
    }
}
