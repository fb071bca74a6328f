using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DockerVm.Provisioning.Tests.Requests;

/// <summary>Builds OpenSSH public key lines from freshly generated keys (wire format per RFC 4253/5656/8709).</summary>
internal static class TestSshKeys
{
    public static string Ed25519(int keyLength = 32) =>
        Line("ssh-ed25519", Blob(Str("ssh-ed25519"), Str(RandomNumberGenerator.GetBytes(keyLength))));

    public static string Rsa(int bits)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(false);
        return Line("ssh-rsa", Blob(Str("ssh-rsa"), MpInt(p.Exponent!), MpInt(p.Modulus!)));
    }

    public static string Ecdsa(string curve)
    {
        var named = curve switch
        {
            "nistp256" => ECCurve.NamedCurves.nistP256,
            "nistp384" => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
        using var ecdsa = ECDsa.Create(named);
        var q = ecdsa.ExportParameters(false).Q;
        var type = "ecdsa-sha2-" + curve;
        return Line(type, Blob(Str(type), Str(curve), Str([0x04, .. q.X!, .. q.Y!])));
    }

    /// <summary>A line whose declared type differs from the type inside the blob.</summary>
    public static string Mislabelled() => "ssh-rsa " + Ed25519().Split(' ')[1];

    public static string Line(string type, byte[] blob) => $"{type} {Convert.ToBase64String(blob)} tester@example";

    public static byte[] Blob(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Str(string s) => Str(Encoding.ASCII.GetBytes(s));

    public static byte[] Str(byte[] data)
    {
        var result = new byte[4 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(result, data.Length);
        data.CopyTo(result, 4);
        return result;
    }

    private static byte[] MpInt(byte[] unsignedBigEndian) =>
        Str((unsignedBigEndian[0] & 0x80) != 0 ? [0, .. unsignedBigEndian] : unsignedBigEndian);
}
