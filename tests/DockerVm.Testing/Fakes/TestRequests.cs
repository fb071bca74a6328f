using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DockerVm.Testing;

/// <summary>Request bodies as a caller would send them.</summary>
public static class TestRequests
{
    /// <summary>One key for every request of a test run, so building the same request twice gives the same body.</summary>
    public static readonly string SshPublicKey = Ed25519PublicKey();

    public static JsonObject Valid(string name = "devbox1") => new()
    {
        ["name"] = name,
        ["resourceGroup"] = "rg-docker",
        ["location"] = "westeurope",
        ["vmSize"] = "Standard_D2s_v5",
        ["adminUsername"] = "azureuser",
        ["sshPublicKey"] = SshPublicKey,
        ["allowedSourceCidrs"] = new JsonArray("203.0.113.0/24"),
    };

    public static string ValidJson(string name = "devbox1") => Valid(name).ToJsonString();

    /// <summary>An OpenSSH ed25519 public key line (RFC 8709 wire format) with a random key.</summary>
    public static string Ed25519PublicKey()
    {
        static byte[] Str(byte[] value)
        {
            var result = new byte[4 + value.Length];
            BinaryPrimitives.WriteInt32BigEndian(result, value.Length);
            value.CopyTo(result, 4);
            return result;
        }

        byte[] blob = [.. Str(Encoding.ASCII.GetBytes("ssh-ed25519")), .. Str(RandomNumberGenerator.GetBytes(32))];
        return $"ssh-ed25519 {Convert.ToBase64String(blob)} tester@example";
    }

    public static JsonElement ToElement(this string json) => JsonDocument.Parse(json).RootElement.Clone();
}
