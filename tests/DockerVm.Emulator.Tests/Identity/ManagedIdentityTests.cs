using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Identity;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Identity;

/// <summary>The managed-identity endpoint through Azure.Identity, and the tokens ARM/Key Vault accept or reject.</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class ManagedIdentityTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task DefaultAzureCredential_IdentityVariablesSet_GetsTokenArmAccepts()
    {
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            Transport = PinnedTransport.For(fixture.Emulator.Certificate),
            ExcludeInteractiveBrowserCredential = true,
        });

        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]), CancellationToken.None);
        var subscription = await AzureClients.Arm(fixture.Emulator, credential).GetDefaultSubscriptionAsync();

        Assert.False(string.IsNullOrEmpty(token.Token));
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.Equal(fixture.Emulator.SubscriptionId, subscription.Data.SubscriptionId);
    }

    [Fact]
    public async Task ManagedIdentityCredential_VaultScope_SecretClientWorks()
    {
        var token = await fixture.Credential.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]), CancellationToken.None);
        var secret = await fixture.Secrets().SetSecretAsync("mi-secret", "ok");

        Assert.Equal(3, token.Token.Split('.').Length);
        Assert.Equal("ok", secret.Value.Value);
    }

    [Fact]
    public async Task LegacyEndpoint_2017WithSecretHeader_IssuesToken()
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("msi/token?api-version=2017-09-01&resource=https://vault.azure.net", UriKind.Relative));
        request.Headers.Add("secret", fixture.Emulator.IdentityHeader);

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Matches(@"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \+00:00$", (string?)body["expires_on"]);
    }

    // msrestazure's get_msi_token_webapp (az login --identity on App Service, 2017-09-01): "{MSI_ENDPOINT}/?resource=…"
    // with a trailing slash after the endpoint and the resource unencoded, and the secret header.
    [Fact]
    public async Task LegacyEndpoint_MsrestazureTrailingSlashForm_IssuesToken()
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("msi/token/?resource=https://management.core.windows.net/&api-version=2017-09-01", UriKind.Relative));
        request.Headers.Add("secret", fixture.Emulator.IdentityHeader);

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://management.core.windows.net/", (string?)body["resource"]);
        var subscription = await AzureClients.Arm(fixture.Emulator, EmulatorTokenCredential.Fixed((string)body["access_token"]!)).GetDefaultSubscriptionAsync();
        Assert.Equal(fixture.Emulator.SubscriptionId, subscription.Data.SubscriptionId);
    }

    // msrestazure's get_msi_token (az login --identity 2.45 outside App Service) and azure-identity's CloudShellCredential:
    // POST form resource=…, header Metadata: true, no secret. The endpoint must not hand out a token for it.
    [Fact]
    public async Task TokenEndpoint_PostFormWithoutSecret_UnauthorizedWithoutToken()
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("msi/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("resource", "https://management.core.windows.net/")]),
        };
        request.Headers.Add("Metadata", "true");

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(body["access_token"]);
        Assert.Contains("APPSETTING_WEBSITE_SITE_NAME", (string?)body["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_PostFormWithSecret_MethodNotAllowedWithoutToken()
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("msi/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("resource", "https://management.core.windows.net/")]),
        };
        request.Headers.Add("secret", fixture.Emulator.IdentityHeader);

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET", response.Content.Headers.Allow.Single());
        Assert.Null(body["access_token"]);
    }

    [Fact]
    public async Task TokenEndpoint_WrongIdentityHeader_Unauthorized()
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("msi/token?api-version=2019-08-01&resource=https://management.azure.com", UriKind.Relative));
        request.Headers.Add("X-IDENTITY-HEADER", "not-the-header");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_NoIdentityHeader_Unauthorized()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri("msi/token?api-version=2019-08-01&resource=https://vault.azure.net", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(body["access_token"]);
    }

    // The identity header is the App Service / Functions guard against server-side request forgery ("a header used to
    // help mitigate server-side request forgery (SSRF) attacks", Microsoft Learn, "Managed identities for App Service and
    // Azure Functions", REST endpoint reference): the tools' token endpoint is held to the same rule.
    [Fact]
    public async Task ToolTokenEndpoint_NoIdentityHeader_Unauthorized()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri("_emulator/token?resource=https://vault.azure.net", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(body["access_token"]);
    }

    [Fact]
    public async Task ToolTokenEndpoint_WrongIdentityHeader_Unauthorized()
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("_emulator/token?resource=https://management.azure.com", UriKind.Relative));
        request.Headers.Add("X-IDENTITY-HEADER", fixture.Emulator.IdentityHeader + "0");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ToolTokenEndpoint_IdentityHeader_IssuesTokenKeyVaultAccepts()
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("_emulator/token?resource=https://vault.azure.net", UriKind.Relative));
        request.Headers.Add("X-IDENTITY-HEADER", fixture.Emulator.IdentityHeader);

        using var response = await http.SendAsync(request);
        var token = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"];
        await fixture.Secrets().SetSecretAsync("tool-token", "ok");
        var secrets = AzureClients.Secrets(fixture.Emulator, EmulatorTokenCredential.Fixed(token!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await secrets.GetSecretAsync("tool-token")).Value.Value);
    }

    [Fact]
    public async Task Arm_NoAuthorizationHeader_AuthenticationFailedWithChallenge()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri($"subscriptions/{fixture.Emulator.SubscriptionId}/resourcegroups?api-version=2022-09-01", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthenticationFailed", (string?)body["error"]?["code"]);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("audience", "InvalidAuthenticationTokenAudience")]
    [InlineData("expired", "ExpiredAuthenticationToken")]
    [InlineData("garbage", "InvalidAuthenticationToken")]
    public async Task ArmClient_BadToken_RejectedWithArmCode(string kind, string code)
    {
        var token = kind switch
        {
            "audience" => fixture.Emulator.IssueToken("https://vault.azure.net"),
            "expired" => fixture.Emulator.IssueToken("https://management.azure.com", TimeSpan.FromMinutes(-1)),
            _ => "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl",
        };
        var arm = AzureClients.Arm(fixture.Emulator, EmulatorTokenCredential.Fixed(token));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetDefaultSubscriptionAsync());

        Assert.Equal(401, error.Status);
        Assert.Equal(code, error.ErrorCode);
    }
}
