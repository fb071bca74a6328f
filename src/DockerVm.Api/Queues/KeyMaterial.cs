using System.Formats.Asn1;
using System.Text;
using System.Text.RegularExpressions;

namespace DockerVm.Api.Queues;

/// <summary>
/// Recognizes private keys in text: PEM of any private key type (<c>-----BEGIN … PRIVATE KEY-----</c>, RFC 7468),
/// the OpenSSH private key format (its <c>openssh-key-v1</c> magic, PROTOCOL.key), PuTTY key files, and base64 that
/// decodes to one of those or to a DER private key (PKCS#8 RFC 5958 incl. the encrypted form, PKCS#1 RFC 8017 A.1.2,
/// SEC1 RFC 5915).
/// </summary>
internal static partial class KeyMaterial
{
    /// <summary>base64 of "openssh-key-v1\0", the start of every OpenSSH private key blob.</summary>
    private const string OpenSshMagicBase64 = "b3BlbnNzaC1rZXktdjE";

    public static bool ContainsPrivateKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsKeyText(text))
        {
            return true;
        }

        foreach (Match run in Base64Run().Matches(text))
        {
            if (TryDecode(run.Value) is { } bytes && (IsKeyText(Encoding.UTF8.GetString(bytes)) || IsDerPrivateKey(bytes)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsKeyText(string text) =>
        text.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase)
        || text.Contains("openssh-key-v1", StringComparison.Ordinal)
        || text.Contains(OpenSshMagicBase64, StringComparison.Ordinal)
        || text.Contains("PuTTY-User-Key-File", StringComparison.OrdinalIgnoreCase);

    private static byte[]? TryDecode(string run)
    {
        var text = run.Replace('-', '+').Replace('_', '/').TrimEnd('=');
        text += (text.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        var buffer = new byte[text.Length * 3 / 4];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    private static bool IsDerPrivateKey(byte[] der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.BER);
            var key = outer.ReadSequence();
            if (key.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                // EncryptedPrivateKeyInfo: { AlgorithmIdentifier, OCTET STRING }.
                key.ReadSequence().ReadObjectIdentifier();
                key.ReadOctetString();
                return !key.HasData;
            }

            var version = key.ReadInteger();
            var next = key.PeekTag();
            if (next.HasSameClassAndValue(Asn1Tag.Sequence) && version <= 1)
            {
                // PKCS#8 PrivateKeyInfo / OneAsymmetricKey: { version, AlgorithmIdentifier, OCTET STRING privateKey, … }.
                key.ReadSequence().ReadObjectIdentifier();
                key.ReadOctetString();
                return true;
            }

            if (next.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString) && version == 1)
            {
                // SEC1 ECPrivateKey: { 1, OCTET STRING privateKey, [0] parameters, [1] publicKey }.
                key.ReadOctetString();
                return true;
            }

            if (next.HasSameClassAndValue(Asn1Tag.Integer) && version == 0)
            {
                // PKCS#1 RSAPrivateKey: { 0, n, e, d, p, q, dP, dQ, qInv }.
                for (var i = 0; i < 8; i++)
                {
                    key.ReadInteger();
                }

                return true;
            }

            return false;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>Standard or URL-safe base64 long enough to hold a key (an ed25519 PKCS#8 key is 64 characters).</summary>
    [GeneratedRegex("[A-Za-z0-9+/_-]{40,}={0,2}")]
    private static partial Regex Base64Run();
}
