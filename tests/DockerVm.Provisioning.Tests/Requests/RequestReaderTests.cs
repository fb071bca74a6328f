using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

/// <summary>The one reader every door uses: strict camelCase JSON, each fault named by its field.</summary>
public sealed class RequestReaderTests
{
    private static JsonObject Valid() => new()
    {
        ["name"] = "devbox1",
        ["resourceGroup"] = "rg-docker",
        ["location"] = "westeurope",
        ["vmSize"] = "Standard_D2s_v5",
        ["adminUsername"] = "azureuser",
        ["sshPublicKey"] = TestSshKeys.Ed25519(),
        ["allowedSourceCidrs"] = new JsonArray("203.0.113.0/24"),
    };

    private static RequestReadResult<ProvisionDockerVmRequest> Read(string json) => RequestReader.Read<ProvisionDockerVmRequest>(json);

    private static (string Field, string Rule) Single(RequestReadResult<ProvisionDockerVmRequest> result)
    {
        Assert.False(result.IsRead);
        var error = Assert.Single(result.Errors);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return (error.Field, error.Rule);
    }

    [Fact]
    public void Read_ValidRequest_ReadsIt()
    {
        var result = Read(Valid().ToJsonString());

        Assert.True(result.IsRead);
        Assert.Equal("devbox1", result.Value.Name);
        Assert.Equal(RequestReadFailure.None, result.Failure);
    }

    [Theory]
    [InlineData("dockerPort", "\"2377\"")]
    [InlineData("dockerPort", "2376.5")]
    [InlineData("dockerPort", "99999999999")]
    [InlineData("allowAnySource", "\"true\"")]
    [InlineData("allowAnySource", "null")]
    [InlineData("allowAnySource", "1")]
    [InlineData("name", "42")]
    [InlineData("allowedSourceCidrs", "\"203.0.113.0/24\"")]
    [InlineData("tags", "[]")]
    [InlineData("callback", "\"https://hooks.example.com\"")]
    public void Read_WrongJsonType_RefusedNamingTheField(string field, string value)
    {
        var body = Valid();
        body[field] = JsonNode.Parse(value);

        var result = Read(body.ToJsonString());

        Assert.Equal((field, ValidationRules.JsonSyntax), Single(result));
        Assert.Equal(RequestReadFailure.Contract, result.Failure);
    }

    [Fact]
    public void Read_NumberInString_MessageSaysNumbersAreNotReadFromStrings()
    {
        var body = Valid();
        body["dockerPort"] = "2377";

        var error = Assert.Single(Read(body.ToJsonString()).Errors);

        Assert.Contains("$.dockerPort", error.Message, StringComparison.Ordinal);
        Assert.Contains("never read from strings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NumberInStringInsideCertificates_RefusedNamingTheNestedField()
    {
        var body = Valid();
        body["certificates"] = new JsonObject { ["validityDays"] = "90" };

        Assert.Equal(("certificates.validityDays", ValidationRules.JsonSyntax), Single(Read(body.ToJsonString())));
    }

    [Theory]
    [InlineData("Name", "name")]
    [InlineData("NAME", "name")]
    [InlineData("AllowedSourceCidrs", "allowedSourceCidrs")]
    [InlineData("allowedSourceCidr", "allowedSourceCidrs")]
    [InlineData("vm_size", "vmSize")]
    [InlineData("bogus", null)]
    public void Read_CaseVariantOrMisspeltName_RefusedAsUnknownWithAHint(string name, string? hint)
    {
        var body = Valid();
        body[name] = "x";

        var result = Read(body.ToJsonString());

        Assert.Equal((name, ValidationRules.UnknownField), Single(result));
        if (hint is not null)
        {
            Assert.Contains($"did you mean '{hint}'", result.Errors[0].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_CaseVariantNestedName_RefusedNamingThePath()
    {
        var body = Valid();
        body["callback"] = new JsonObject { ["Url"] = "https://hooks.example.com/x" };

        Assert.Equal(("callback.Url", ValidationRules.UnknownField), Single(Read(body.ToJsonString())));
    }

    [Fact]
    public void Read_CaseVariantImageMember_Refused()
    {
        var body = Valid();
        body["image"] = new JsonObject { ["Publisher"] = "Canonical", ["offer"] = "o", ["sku"] = "s", ["version"] = "latest" };

        Assert.Equal(("image.Publisher", ValidationRules.UnknownField), Single(Read(body.ToJsonString())));
    }

    [Theory]
    [InlineData("""{"name":"a","name":"b"}""", "name")]
    [InlineData("""{"callback":{"url":"https://a.example.com","url":"https://b.example.com"}}""", "callback.url")]
    [InlineData("""{"tags":{"env":"dev","env":"prod"}}""", "tags.env")]
    [InlineData("""{"image":{"publisher":"a","publisher":"b","offer":"o","sku":"s","version":"latest"}}""", "image.publisher")]
    public void Read_DuplicateKey_RefusedNamingIt(string json, string field) =>
        Assert.Equal((field, ValidationRules.DuplicateField), Single(Read(json)));

    [Fact]
    public void Read_SeveralFaults_AllNamedAtOnce()
    {
        var body = Valid();
        body["bogus"] = 1;
        body["Name"] = "x";
        body["dockerPort"] = "2376";
        body["certificates"] = new JsonObject { ["validityDays"] = "90", ["extra"] = true };

        var result = Read(body.ToJsonString());

        Assert.Equal(
            [
                ("bogus", ValidationRules.UnknownField),
                ("Name", ValidationRules.UnknownField),
                ("dockerPort", ValidationRules.JsonSyntax),
                ("certificates.validityDays", ValidationRules.JsonSyntax),
                ("certificates.extra", ValidationRules.UnknownField),
            ],
            result.Errors.Select(e => (e.Field, e.Rule)));
    }

    [Theory]
    [InlineData("not json", "$")]
    [InlineData("""{"name": """, "name")]
    [InlineData("""{"name":"a",}""", "$")]
    [InlineData("""{"name":"a"} // comment""", "$")]
    [InlineData("""{"name":'a'}""", "name")]
    public void Read_NotJson_RefusedAsSyntax(string text, string field)
    {
        var result = Read(text);

        Assert.Equal(RequestReadFailure.Syntax, result.Failure);
        Assert.Equal((field, ValidationRules.JsonSyntax), Single(result));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"a request\"")]
    [InlineData("42")]
    public void Read_NotAnObject_RefusedAtTheRoot(string text) =>
        Assert.Equal(("$", ValidationRules.JsonSyntax), Single(Read(text)));

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("null")]
    public void Read_Nothing_RefusedAsEmpty(string text)
    {
        var result = Read(text);

        Assert.Equal(RequestReadFailure.Empty, result.Failure);
        Assert.Equal(("$", ValidationRules.Required), Single(result));
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsSkipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid().ToJsonString())];

        Assert.True(RequestReader.Read<ProvisionDockerVmRequest>(bytes).IsRead);
    }

    [Fact]
    public async Task ReadAsync_MoreThanTheLimit_RefusedAsTooLarge()
    {
        var body = Valid();
        body["tags"] = new JsonObject { ["big"] = new string('x', RequestJson.MaxBytes) };
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString()));

        var result = await RequestReader.ReadAsync<ProvisionDockerVmRequest>(stream, CancellationToken.None);

        Assert.Equal(RequestReadFailure.TooLarge, result.Failure);
        Assert.Equal(("$", ValidationRules.RequestTooLarge), Single(result));
    }

    [Fact]
    public async Task ReadAsync_ValidBody_ReadsIt()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Valid().ToJsonString()));

        Assert.True((await RequestReader.ReadAsync<ProvisionDockerVmRequest>(stream, CancellationToken.None)).IsRead);
    }

    [Fact]
    public void Read_Refused_MessagesDoNotEchoValues()
    {
        var body = Valid();
        body["dockerPort"] = "S3cr3tValue";
        body["tags"] = new JsonObject { ["env"] = 12345678 };

        var result = Read(body.ToJsonString());

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.DoesNotContain("S3cr3t", e.Message, StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.DoesNotContain("12345678", e.Message, StringComparison.Ordinal));
    }
}
