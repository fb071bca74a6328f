using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Tests.Clients;

/// <summary>
/// az 2.45 against the fixture's emulator, in a configuration directory of its own (AZURE_CONFIG_DIR under a temp
/// directory, never ~/.azure). Signs in like az on App Service: MSI_ENDPOINT, MSI_SECRET and
/// APPSETTING_WEBSITE_SITE_NAME, with which msrestazure's <c>get_msi_token_webapp</c> GETs the 2017-09-01 token with the
/// <c>secret</c> header. REQUESTS_CA_BUNDLE trusts exactly the emulator's certificate.
/// </summary>
internal sealed class AzCliSession : IDisposable
{
    public const string CloudName = "DockerVmLocal";

    /// <summary>az takes 1–4 s per command here; a first run also builds its command index.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly ClientsFixture _fixture;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("dockervm-az-");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SignIn? _signIn;

    internal AzCliSession(ClientsFixture fixture)
    {
        _fixture = fixture;
        ConfigDirectory = Directory.CreateDirectory(Path.Combine(_root.FullName, "config")).FullName;
    }

    public string ConfigDirectory { get; }

    /// <summary>What az needs to reach the emulator as its cloud; <paramref name="appService"/> false drops the App Service marker.</summary>
    public IReadOnlyDictionary<string, string> Environment(string configDirectory, bool appService = true)
    {
        var environment = new Dictionary<string, string>
        {
            ["AZURE_CONFIG_DIR"] = configDirectory,
            ["REQUESTS_CA_BUNDLE"] = _fixture.Emulator.CertificatePath,
            ["MSI_ENDPOINT"] = _fixture.Emulator.IdentityEndpoint.ToString(),
            ["MSI_SECRET"] = _fixture.Emulator.IdentityHeader,
            ["AZURE_CORE_COLLECT_TELEMETRY"] = "false",
            ["AZURE_CORE_NO_COLOR"] = "true",
            ["AZURE_CORE_ONLY_SHOW_ERRORS"] = "true",
            ["AZURE_CORE_SURVEY_MESSAGE"] = "false",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        if (appService)
        {
            environment["APPSETTING_WEBSITE_SITE_NAME"] = "dockervm-local";
        }

        return environment;
    }

    public Task<ChildResult> RunAsync(params string[] arguments) => RunInAsync(ConfigDirectory, appService: true, arguments);

    public Task<ChildResult> RunInAsync(string configDirectory, bool appService, params string[] arguments) =>
        ChildProcess.RunAsync(InstalledClients.Az, arguments, Environment(configDirectory, appService), Timeout);

    /// <summary>Runs az and parses its JSON output; a failure carries az's whole output.</summary>
    public async Task<JsonNode> JsonAsync(params string[] arguments)
    {
        var result = await RunAsync([.. arguments, "-o", "json"]);
        Assert.True(result.ExitCode == 0, $"az {string.Join(' ', arguments)}: {result}");
        return JsonNode.Parse(result.Stdout) ?? throw new InvalidOperationException($"az {string.Join(' ', arguments)} printed no JSON: {result}");
    }

    /// <summary>
    /// Once per fixture: <c>az cloud register</c> with only the ARM endpoint (the rest comes from the emulator's
    /// metadata endpoint), <c>az cloud set</c>, <c>az login --identity</c>: the three results (the login's JSON lists
    /// the subscriptions) and the requests the emulator served meanwhile.
    /// </summary>
    public async Task<SignIn> SignInAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_signIn is null)
            {
                var since = DateTimeOffset.UtcNow;
                var register = await RunAsync("cloud", "register", "-n", CloudName, "--endpoint-resource-manager", _fixture.Emulator.ArmEndpoint.ToString());
                Assert.True(register.ExitCode == 0, $"az cloud register: {register}");
                var set = await RunAsync("cloud", "set", "-n", CloudName);
                Assert.True(set.ExitCode == 0, $"az cloud set: {set}");
                var login = await RunAsync("login", "--identity", "-o", "json");
                Assert.True(login.ExitCode == 0, $"az login --identity: {login}");
                _signIn = new SignIn([register, set, login], _fixture.RequestsSince(since));
            }

            return _signIn;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A second configuration directory with the cloud registered and active but nobody signed in.</summary>
    public async Task<string> RegisteredButSignedOutDirectoryAsync()
    {
        await SignInAsync();
        var directory = Directory.CreateDirectory(Path.Combine(_root.FullName, $"signed-out-{Guid.NewGuid():N}")).FullName;
        foreach (var file in new[] { "clouds.config", "config" })
        {
            File.Copy(Path.Combine(ConfigDirectory, file), Path.Combine(directory, file));
        }

        return directory;
    }

    public void Dispose()
    {
        _gate.Dispose();
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
