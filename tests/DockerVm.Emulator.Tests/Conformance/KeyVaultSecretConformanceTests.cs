using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Key Vault secrets (data plane), from specification/keyvault/data-plane/Microsoft.KeyVault/stable/2025-07-01/secrets.json
/// and its examples (the index keeps several under stable/2025-06-01 and stable/7.6 or 7.5, same shapes). Each test
/// runs at that version and at 2026-04-01, the one Azure.Security.KeyVault.Secrets 4.12.0 sends (its spec is not in
/// the index). The workflow (IssueDockerCertificates, KeyVaultPem, DeleteDockerSecrets) sets secrets with contentType
/// and tags and reads id; gets them and reads value, id and tags; deletes them (reads recoveryId), reads the deleted
/// secret, purges it, and recovers it when a purge-protected vault refuses a new version.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class KeyVaultSecretConformanceTests(EmulatorFixture fixture)
{
    public static readonly TheoryData<string> Versions = ["2025-07-01", "2026-04-01"];

    // examples/SetSecret-example.json: a value only. SecretBundle: value, id (with version), attributes.
    [Theory]
    [MemberData(nameof(Versions))]
    public async Task SetSecret_SpecExample_OkWithIdValueAndAttributes(string version)
    {
        using var vault = SpecClient.Vault(fixture.Emulator);
        var name = $"crpsecret-{version.Replace(".", "-", StringComparison.Ordinal)}";

        var (status, body, _) = await vault.SendJsonAsync(HttpMethod.Put, $"secrets/{name}", version, """{"value":"mysecretvalue"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("mysecretvalue", (string?)body["value"]);
        Assert.Matches($"^{fixture.Emulator.VaultUri}secrets/{name}/[0-9a-f]{{32}}$", (string?)body["id"]);
        AssertAttributes(body);
    }

    // examples/GetSecret-example.json (7.6): by version, and the latest (the version segment is optional, secrets.json
    // GetSecret "secret-version"), after the workflow's SET shape (contentType and tags, SecretSetParameters).
    [Theory]
    [MemberData(nameof(Versions))]
    public async Task GetSecret_SpecExample_ValueIdTagsAndContentTypePresent(string version)
    {
        using var vault = SpecClient.Vault(fixture.Emulator);
        var name = $"mysecretname-{version.Replace(".", "-", StringComparison.Ordinal)}";
        var request = new JsonObject
        {
            ["value"] = "mysecretvalue",
            ["contentType"] = "application/x-pem-file",
            ["tags"] = new JsonObject { ["dockervm-instance"] = "instance-1", ["managed-by"] = "dockervm" },
        };
        var (_, set, _) = await vault.SendJsonAsync(HttpMethod.Put, $"secrets/{name}", version, request.ToJsonString());
        var id = (string)set["id"]!;

        var (byVersion, versioned, _) = await vault.SendJsonAsync(HttpMethod.Get, $"secrets/{name}/{id[(id.LastIndexOf('/') + 1)..]}", version);
        var (latestStatus, latest, _) = await vault.SendJsonAsync(HttpMethod.Get, $"secrets/{name}", version);

        Assert.Equal(HttpStatusCode.OK, byVersion);
        Assert.Equal(HttpStatusCode.OK, latestStatus);
        foreach (var body in new[] { versioned, latest })
        {
            Assert.Equal("mysecretvalue", (string?)body["value"]);
            Assert.Equal(id, (string?)body["id"]);
            Assert.Equal("application/x-pem-file", (string?)body["contentType"]);
            Assert.Equal("instance-1", (string?)body["tags"]?["dockervm-instance"]);
            AssertAttributes(body);
        }
    }

    // examples/DeleteSecret-example.json (7.5) and GetDeletedSecret-example.json (2025-06-01): DeletedSecretBundle with
    // recoveryId, deletedDate, scheduledPurgeDate, id and attributes.
    [Theory]
    [MemberData(nameof(Versions))]
    public async Task DeleteSecret_SpecExample_DeletedBundleThenGetDeletedSecretAnswers(string version)
    {
        using var vault = SpecClient.Vault(fixture.Emulator);
        var name = $"GetDeletedSecretTest-{version.Replace(".", "-", StringComparison.Ordinal)}";
        (await vault.SendAsync(HttpMethod.Put, $"secrets/{name}", version, """{"value":"v"}""")).Dispose();

        var (deleteStatus, deleted, _) = await vault.SendJsonAsync(HttpMethod.Delete, $"secrets/{name}", version);
        var (getStatus, fetched, _) = await vault.SendJsonAsync(HttpMethod.Get, $"deletedsecrets/{name}", version);

        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        foreach (var body in new[] { deleted, fetched })
        {
            Assert.Equal($"{fixture.Emulator.VaultUri}deletedsecrets/{name}", (string?)body["recoveryId"]);
            Assert.True((long?)body["deletedDate"] > 0);
            Assert.True((long?)body["scheduledPurgeDate"] > (long?)body["deletedDate"]);
            Assert.StartsWith($"{fixture.Emulator.VaultUri}secrets/{name}/", (string?)body["id"], StringComparison.Ordinal);
            AssertAttributes(body);
        }
    }

    // examples/PurgeDeletedSecret-example.json (2025-06-01): 204, and the deleted secret is gone.
    [Theory]
    [MemberData(nameof(Versions))]
    public async Task PurgeDeletedSecret_SpecExample_NoContentThenDeletedSecretGone(string version)
    {
        using var vault = SpecClient.Vault(fixture.Emulator);
        var name = $"testsecret-{version.Replace(".", "-", StringComparison.Ordinal)}";
        (await vault.SendAsync(HttpMethod.Put, $"secrets/{name}", version, """{"value":"v"}""")).Dispose();
        (await vault.SendAsync(HttpMethod.Delete, $"secrets/{name}", version)).Dispose();

        using var purge = await vault.SendAsync(HttpMethod.Delete, $"deletedsecrets/{name}", version);
        var (after, _, _) = await vault.SendJsonAsync(HttpMethod.Get, $"deletedsecrets/{name}", version);

        Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after);
    }

    // examples/RecoverDeletedSecret-example.json (7.6): 200 with the recovered secret's id and attributes (no value).
    [Theory]
    [MemberData(nameof(Versions))]
    public async Task RecoverDeletedSecret_SpecExample_OkWithIdAndAttributes(string version)
    {
        using var vault = SpecClient.Vault(fixture.Emulator);
        var name = $"SecretCreateDeleteRecoverPurgeTest-{version.Replace(".", "-", StringComparison.Ordinal)}";
        var (_, set, _) = await vault.SendJsonAsync(HttpMethod.Put, $"secrets/{name}", version, """{"value":"v"}""");
        (await vault.SendAsync(HttpMethod.Delete, $"secrets/{name}", version)).Dispose();

        var (status, body, _) = await vault.SendJsonAsync(HttpMethod.Post, $"deletedsecrets/{name}/recover", version);
        var (live, _, _) = await vault.SendJsonAsync(HttpMethod.Get, $"secrets/{name}", version);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((string?)set["id"], (string?)body["id"]);
        Assert.Null(body["value"]);
        AssertAttributes(body);
        Assert.Equal(HttpStatusCode.OK, live);
    }

    /// <summary>SecretAttributes as the examples show them: enabled, created, updated (Unix seconds), recoveryLevel.</summary>
    private static void AssertAttributes(JsonObject body)
    {
        var attributes = body["attributes"]!;
        Assert.True((bool?)attributes["enabled"]);
        Assert.True((long?)attributes["created"] > 0);
        Assert.True((long?)attributes["updated"] >= (long?)attributes["created"]);
        Assert.Equal("Recoverable+Purgeable", (string?)attributes["recoveryLevel"]);
    }
}
