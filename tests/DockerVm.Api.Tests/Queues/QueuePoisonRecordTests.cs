using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Api.Queues;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;

namespace DockerVm.Api.Tests.Queues;

/// <summary>Poison records never hold key material or secrets; a hash of the original correlates them.</summary>
public sealed class QueuePoisonRecordTests
{
    // Assembled at run time so that no key-shaped literal sits in the source.
    private static readonly string OpenSshKey = "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACCv4EmjwTbDNDQ0KEY\n-----END OPENSSH " + "PRIVATE KEY-----";

    private static readonly string Pkcs8Key = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();

    private static QueuePoisonRecord Poison(string message, params ValidationError[] errors) =>
        QueuePoisonRecord.Create(
            new SubmitRejected(SubmitRejected.ValidationFailed, errors.Length == 0 ? [new ValidationError("sshPublicKey", "ssh-key-private-key", "This is a private key.")] : errors),
            message,
            "m1",
            1,
            null,
            DateTimeOffset.UnixEpoch);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void AssertNoKeyMaterial(string json)
    {
        Assert.DoesNotContain("PRIVATE KEY", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("b3BlbnNzaC1rZXktdjE", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PrivateKeyAsSshPublicKey_KeyRedactedHashKept()
    {
        var body = TestRequests.Valid();
        body["sshPublicKey"] = OpenSshKey;
        var message = body.ToJsonString();

        var record = Poison(message);
        var json = record.ToJson();

        AssertNoKeyMaterial(json);
        Assert.Equal(Sha256(message), record.OriginalMessageSha256);
        Assert.Equal(["$.sshPublicKey"], record.Redactions);
        var original = JsonNode.Parse(record.OriginalMessage)!;
        Assert.Equal("[redacted]", original["sshPublicKey"]!.GetValue<string>());
        Assert.Equal("devbox1", original["name"]!.GetValue<string>());
        Assert.Equal(message.Length, record.OriginalLength);
        Assert.Equal(record, QueuePoisonRecord.FromJson(json), new RecordComparer());
    }

    [Theory]
    [InlineData("password")]
    [InlineData("adminPassword")]
    [InlineData("clientSecret")]
    [InlineData("webhook_signing_secret")]
    [InlineData("accessToken")]
    [InlineData("privateKey")]
    [InlineData("keyMaterial")]
    [InlineData("credentials")]
    public void Create_SensitivelyNamedMember_ValueRedactedAtAnyDepth(string name)
    {
        var body = TestRequests.Valid();
        body[name] = "hunter2-plain";
        body["callback"] = new JsonObject { ["url"] = "https://hooks.example.com/x", [name] = new JsonObject { ["nested"] = "hunter2-nested" } };

        var record = Poison(body.ToJsonString());

        Assert.DoesNotContain("hunter2", record.ToJson(), StringComparison.Ordinal);
        Assert.Equal([$"$.{name}", $"$.callback.{name}"], record.Redactions);
    }

    [Fact]
    public void Create_KnownSecretFormatsInValues_Redacted()
    {
        var body = TestRequests.Valid();
        body["tags"] = new JsonObject
        {
            ["a"] = "whsec_MfKQ9r4OrVlYAKE4QxSvsCUQvxgwauQpb24FHGpu3Ck=",
            ["b"] = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0a2V5c2VjcmV0a2V5;EndpointSuffix=core.windows.net",
            ["c"] = "https://x.blob.core.windows.net/c?sv=2024&sig=abcdEFGH1234%3D",
            ["d"] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyMTIzNDUifQ.c2lnbmF0dXJl",
        };

        var json = Poison(body.ToJsonString()).ToJson();

        Assert.DoesNotContain("MfKQ9r4OrVlY", json, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0a2V5", json, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdEFGH1234", json, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJzdWIiOiJ1c2VyMTIzNDUifQ", json, StringComparison.Ordinal);
        Assert.Contains("AccountName=x", json, StringComparison.Ordinal);
    }

    public static TheoryData<string> EncodedKeys()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000);
        return new()
        {
            Convert.ToBase64String(ec.ExportPkcs8PrivateKey()),
            Convert.ToBase64String(ec.ExportECPrivateKey()),
            Convert.ToBase64String(rsa.ExportRSAPrivateKey()),
            Convert.ToBase64String(rsa.ExportEncryptedPkcs8PrivateKey("pw", pbe)),
            Convert.ToBase64String(Encoding.UTF8.GetBytes(ec.ExportPkcs8PrivateKeyPem())),
            Convert.ToBase64String(ec.ExportPkcs8PrivateKey()).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        };
    }

    [Theory]
    [MemberData(nameof(EncodedKeys))]
    public void Create_PrivateKeyInBase64OrDer_Redacted(string encoded)
    {
        var body = TestRequests.Valid();
        body["tags"] = new JsonObject { ["k"] = "key: " + encoded };

        var record = Poison(body.ToJsonString());

        Assert.DoesNotContain(encoded[..40], record.ToJson(), StringComparison.Ordinal);
        Assert.Equal(["$.tags.k"], record.Redactions);
    }

    [Fact]
    public void Create_PublicKeysAndCertificates_AreNotMistakenForPrivateKeys()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = TestRequests.Valid();
        body["tags"] = new JsonObject
        {
            ["spki"] = Convert.ToBase64String(ec.ExportSubjectPublicKeyInfo()),
            ["rsa"] = TestRequests.Valid()["sshPublicKey"]!.GetValue<string>(),
        };

        Assert.Empty(Poison(body.ToJsonString()).Redactions);
    }

    [Fact]
    public void Create_PublicKeyAndOrdinaryFields_KeptAsSent()
    {
        var message = TestRequests.ValidJson();

        var record = Poison(message);

        Assert.Equal(message, record.OriginalMessage);
        Assert.Empty(record.Redactions);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Create_BrokenJsonHoldingAPrivateKey_KeyRedacted(bool withEnd)
    {
        var key = withEnd ? Pkcs8Key : Pkcs8Key[..60];
        var message = "{\"name\":\"devbox1\",\"sshPublicKey\":\"" + key.Replace("\n", "\\n", StringComparison.Ordinal) + "\",\"password\":\"hunter2\", \"cut";

        var record = Poison(message);
        var json = record.ToJson();

        AssertNoKeyMaterial(json);
        Assert.DoesNotContain(Pkcs8Key.Split('\n')[1], json, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.Contains("devbox1", record.OriginalMessage, StringComparison.Ordinal);
        Assert.Equal(["text"], record.Redactions);
        Assert.Equal(Sha256(message), record.OriginalMessageSha256);
    }

    [Fact]
    public void Create_KeyMaterialInAMemberNameAndInErrors_Redacted()
    {
        var message = "{\"" + Pkcs8Key.Replace("\n", "\\n", StringComparison.Ordinal) + "\":1}";

        var record = Poison(message, new ValidationError(Pkcs8Key, ValidationRules.UnknownField, $"'{Pkcs8Key}' is not a field of the request."));

        AssertNoKeyMaterial(record.ToJson());
    }

    [Fact]
    public void Create_LongMessage_CutButHashedWhole()
    {
        var body = TestRequests.Valid();
        body["tags"] = new JsonObject { ["big"] = new string('x', 40_000) };
        var message = body.ToJsonString();

        var record = Poison(message);

        Assert.True(record.OriginalMessageTruncated);
        Assert.Equal(QueuePoisonRecord.MaxOriginalChars, record.OriginalMessage.Length);
        Assert.Equal(Sha256(message), record.OriginalMessageSha256);
        Assert.True(Encoding.UTF8.GetByteCount(record.ToJson()) < 64 * 1024);
    }

    private sealed class RecordComparer : IEqualityComparer<QueuePoisonRecord?>
    {
        public bool Equals(QueuePoisonRecord? x, QueuePoisonRecord? y) =>
            x is not null && y is not null && x.OriginalMessage == y.OriginalMessage && x.OriginalMessageSha256 == y.OriginalMessageSha256
            && x.Redactions.SequenceEqual(y.Redactions) && x.Errors.SequenceEqual(y.Errors) && x.Reason == y.Reason;

        public int GetHashCode(QueuePoisonRecord? obj) => obj?.OriginalMessageSha256.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
