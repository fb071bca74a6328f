using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Azure;

/// <summary>Registers the singleton <see cref="ArmClient"/>, <see cref="SecretClient"/> and credential through
/// Microsoft.Extensions.Azure, all sharing one transport (the pinned-certificate one in local mode).</summary>
internal static partial class AzureClientRegistration
{
    /// <summary>Microsoft.Network is not covered by a typed SDK here: generic resources with pinned api-versions
    /// (otherwise the SDK GETs the provider once to pick one).</summary>
    internal const string NetworkApiVersion = "2024-05-01";

    /// <summary>ComputeRP (VMs, extensions; typed and generic calls): 2023-07-01, the version the request bodies were
    /// checked against. Azure.ResourceManager.Compute 1.2.0 was built for ComputeRP 2023-03-01 (its release notes); every
    /// property the workflow sends exists in both.</summary>
    internal const string ComputeApiVersion = "2023-07-01";

    /// <summary>Disks belong to DiskRP, whose versions differ from ComputeRP's (2023-04-02, 2023-10-02, ...;
    /// specification/compute/.../DiskRP/stable): ARM refuses a ComputeRP version for <c>Microsoft.Compute/disks</c>.</summary>
    internal const string DiskApiVersion = "2023-04-02";

    internal static readonly IReadOnlyDictionary<string, string> ApiVersions = new Dictionary<string, string>
    {
        ["Microsoft.Network/networkSecurityGroups"] = NetworkApiVersion,
        ["Microsoft.Network/publicIPAddresses"] = NetworkApiVersion,
        ["Microsoft.Network/virtualNetworks"] = NetworkApiVersion,
        ["Microsoft.Network/virtualNetworks/subnets"] = NetworkApiVersion,
        ["Microsoft.Network/networkInterfaces"] = NetworkApiVersion,
        ["Microsoft.Compute/virtualMachines"] = ComputeApiVersion,
        ["Microsoft.Compute/virtualMachines/extensions"] = ComputeApiVersion,
        ["Microsoft.Compute/disks"] = DiskApiVersion,
    };

    private static readonly string[] RealVaultDomains =
        [".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net", ".managedhsm.azure.net"];

    public static IServiceCollection AddDockerVmAzureClients(this IServiceCollection services)
    {
        services.AddSingleton<AzureTransport>();
        services.AddAzureClients(builder =>
        {
            builder.UseCredential(CreateCredential);
            builder.AddClient<ArmClient, ArmClientOptions>((options, credential, provider) =>
            {
                var azure = provider.GetRequiredService<IOptions<AzureOptions>>().Value;
                var transport = provider.GetRequiredService<AzureTransport>().Transport;
                ConfigureArm(options, azure, transport);
                var logger = Logger(provider);
                var endpoint = options.Environment?.Endpoint;
                LogArmClient(logger, azure.Cloud, endpoint, transport is not null);
                return new ArmClient(credential, azure.SubscriptionId, options);
            });
            builder.AddClient<SecretClient, SecretClientOptions>((options, credential, provider) =>
            {
                var azure = provider.GetRequiredService<IOptions<AzureOptions>>().Value;
                var transport = provider.GetRequiredService<AzureTransport>().Transport;
                ConfigureSecrets(options, azure, transport);
                var logger = Logger(provider);
                var pinned = transport is not null;
                LogSecretClient(logger, azure.KeyVaultUri, options.DisableChallengeResourceVerification, pinned);
                return new SecretClient(azure.KeyVaultUri, credential, options);
            });
        });
        return services;
    }

    internal static TokenCredential CreateCredential(IServiceProvider provider)
    {
        var azure = provider.GetRequiredService<IOptions<AzureOptions>>().Value;
        var options = new DefaultAzureCredentialOptions
        {
            AuthorityHost = AzureClouds.GetAuthorityHost(azure),
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(azure.ManagedIdentityClientId) ? null : azure.ManagedIdentityClientId,
        };
        if (provider.GetRequiredService<AzureTransport>().Transport is { } transport)
        {
            options.Transport = transport;
        }

        return new DefaultAzureCredential(options);
    }

    internal static void ConfigureArm(ArmClientOptions options, AzureOptions azure, HttpPipelineTransport? transport)
    {
        options.Environment = AzureClouds.GetArmEnvironment(azure);
        foreach (var (type, version) in ApiVersions)
        {
            options.SetApiVersion(new ResourceType(type), version);
        }

        if (transport is not null)
        {
            options.Transport = transport;
        }
    }

    internal static void ConfigureSecrets(SecretClientOptions options, AzureOptions azure, HttpPipelineTransport? transport)
    {
        // The challenge's resource must match the vault's domain; only a non-Azure (local) vault may skip that check.
        options.DisableChallengeResourceVerification = !IsRealVault(azure.KeyVaultUri);
        if (transport is not null)
        {
            options.Transport = transport;
        }
    }

    private static ILogger Logger(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger(typeof(AzureClientRegistration).FullName!) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "ARM client for {Cloud} at {Endpoint} (pinned certificate: {Pinned})")]
    private static partial void LogArmClient(ILogger logger, string cloud, Uri? endpoint, bool pinned);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Key Vault client for {VaultUri} (challenge resource verification disabled: {VerificationDisabled}, pinned certificate: {Pinned})")]
    private static partial void LogSecretClient(ILogger logger, Uri? vaultUri, bool verificationDisabled, bool pinned);

    internal static bool IsRealVault(Uri? vaultUri) =>
        vaultUri is not null && RealVaultDomains.Any(d => vaultUri.Host.EndsWith(d, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One HTTP transport for every Azure client and the credential; null means Azure.Core's default.</summary>
internal sealed class AzureTransport : IDisposable
{
    private readonly HttpClient? _httpClient;

    public AzureTransport(IOptions<AzureOptions> options)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PinnedCertificatePath))
        {
            _httpClient = new HttpClient(PinnedCertificateHandler.Create(options.Value.PinnedCertificatePath));
            Transport = new HttpClientTransport(_httpClient);
        }
    }

    public HttpPipelineTransport? Transport { get; }

    public void Dispose() => _httpClient?.Dispose();
}
