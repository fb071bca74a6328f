using Azure.Core;
using Azure.Identity;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;

namespace DockerVm.EndToEnd.Tests.Live;

/// <summary>
/// Where the live scenario runs: a deployment made by <c>azd up</c> (from the environment), or the local stack. The two
/// differ only in endpoints, credential and what a caller's machine can do there, never in the steps.
/// </summary>
public sealed class LiveTarget : IDisposable
{
    /// <summary>Set to 1 to run the live test; the other variables are then required.</summary>
    public const string Switch = "DOCKERVM_LIVE";

    /// <summary>The API, with its base address ending in <c>/api/</c> and the function key as a default header.</summary>
    public required HttpClient Api { get; init; }

    public required ArmClient Arm { get; init; }

    public required TokenCredential Credential { get; init; }

    /// <summary>A Key Vault client for the vault a secret URI names.</summary>
    public required Func<Uri, SecretClient> Secrets { get; init; }

    public required string SubscriptionId { get; init; }

    public required string ResourceGroup { get; init; }

    public required string Location { get; init; }

    /// <summary>The caller's own address range: the only one the host's NSG will admit.</summary>
    public required string AllowedSourceCidr { get; init; }

    public required string SshPublicKey { get; init; }

    /// <summary>A size the region offers (<c>DOCKERVM_LIVE_VM_SIZE</c>; B-series capacity varies by region).</summary>
    public string VmSize { get; init; } = "Standard_B2s";

    /// <summary>Connect to the public IP instead of the FQDN (the emulator's DNS names resolve nowhere).</summary>
    public bool ConnectByAddress { get; init; }

    /// <summary>Whether the daemon runs containers (a real one pulls <c>busybox</c>; the emulated one cannot).</summary>
    public bool RunsContainers { get; init; }

    public TimeSpan ProvisioningTimeout { get; init; } = TimeSpan.FromMinutes(20);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long ARM and Key Vault may take to stop listing what was deleted (their lists are eventually consistent).</summary>
    public TimeSpan CleanupGrace { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The deployment named by the environment (the outputs of <c>azd env get-values</c> plus a function key and the
    /// caller's address); <c>null</c> when <see cref="Switch"/> is not set. Missing values are named, not guessed.
    /// </summary>
    public static LiveTarget? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
        {
            return null;
        }

        string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Switch}=1 needs {name} (see scripts/live-test.sh).");

        var baseUrl = Required("DOCKERVM_API_BASE_URL").TrimEnd('/') + "/";
        var subscription = Required("AZURE_SUBSCRIPTION_ID");
        var api = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(100) };
        api.DefaultRequestHeaders.Add("x-functions-key", Required("DOCKERVM_API_KEY"));
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true });
        return new LiveTarget
        {
            Api = api,
            Credential = credential,
            Arm = new ArmClient(credential, subscription),
            Secrets = vault => new SecretClient(vault, credential),
            SubscriptionId = subscription,
            ResourceGroup = Required("DOCKERVM_TARGET_RESOURCE_GROUP"),
            Location = Required("AZURE_LOCATION"),
            AllowedSourceCidr = Required("DOCKERVM_LIVE_ALLOWED_CIDR"),
            SshPublicKey = Environment.GetEnvironmentVariable("DOCKERVM_LIVE_SSH_PUBLIC_KEY") is { Length: > 0 } key ? key : Infrastructure.LocalStackFixture.SshPublicKey,
            VmSize = Environment.GetEnvironmentVariable("DOCKERVM_LIVE_VM_SIZE") is { Length: > 0 } size ? size : "Standard_B2s",
            RunsContainers = true,
        };
    }

    public void Dispose() => Api.Dispose();
}
