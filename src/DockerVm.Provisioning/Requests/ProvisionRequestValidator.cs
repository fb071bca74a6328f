using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Turns a raw <see cref="ProvisionDockerVmRequest"/> into a <see cref="DockerVmSpec"/> with defaults applied, or
/// reports every violated rule at once (field as a camelCase JSON path, stable rule id, message).
/// Invalid requests must never start an orchestration, so hosts call this before scheduling.
/// </summary>
public sealed partial class ProvisionRequestValidator(IOptions<CallbackOptions> callbackOptions, ILogger<ProvisionRequestValidator> logger)
{
    public const int DefaultDockerPort = 2376;
    public const int DefaultCertificateValidityDays = 365;

    /// <summary>CA/Browser-era upper bound for TLS leaf validity; a per-VM CA is rotated by re-provisioning.</summary>
    public const int MaxCertificateValidityDays = 825;

    /// <summary>Azure allows 50 tags per resource; the workflow adds its own, so callers get the rest.</summary>
    public const int MaxCallerTags = 45;

    public const int MaxAllowedSourceCidrs = 100;
    public const int MaxDaemonOptions = 50;
    public const string StandardWebhooksSignature = "standard-webhooks";
    public const DockerInstaller DefaultInstaller = DockerInstaller.CustomScript;
    public const CertificateKeyAlgorithm DefaultKeyAlgorithm = CertificateKeyAlgorithm.EcdsaP256;

    /// <summary>Current Ubuntu LTS from Canonical.</summary>
    public static VmImageReference DefaultImage { get; } = new("Canonical", "ubuntu-24_04-lts", "server", "latest");

    /// <summary>Hardened dockerd defaults, always set: remapped user namespaces, no privilege escalation, containers
    /// survive daemon restarts, no inter-container traffic. A request's <c>daemonOptions</c> are added after them.</summary>
    public static IReadOnlyList<string> DefaultDaemonOptions { get; } =
        ["--userns-remap=default", "--no-new-privileges", "--live-restore", "--icc=false"];

    // Azure rejects these admin user names for Linux VMs; the last ones collide with accounts/groups on the image
    // or that Docker creates (dockremap for --userns-remap=default).
    private static readonly FrozenSet<string> ReservedUsernames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a",
        "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server",
        "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5",
        "bin", "daemon", "games", "lp", "mail", "man", "news", "nobody", "proxy", "sshd", "sync", "syslog", "uucp",
        "www-data", "docker", "dockremap", "ubuntu");

    private static readonly SearchValues<char> ForbiddenTagNameChars = SearchValues.Create("<>%&\\?/");

    // ARM refuses these in names of resources with a public endpoint (the public IP's DNS label): whole words,
    // anywhere in the name, or at its start (ReservedResourceName).
    private static readonly FrozenSet<string> ReservedWholeNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "access", "azure", "bing", "bizspark", "biztalk", "cortana", "directx", "dotnet", "dynamics", "excel", "exchange",
        "forefront", "groove", "hololens", "hyperv", "kinect", "lync", "msdn", "o365", "office", "office365", "onedrive",
        "onenote", "outlook", "powerpoint", "sharepoint", "skype", "visio", "visualstudio", "xbox");

    private static readonly string[] ReservedNameParts = ["microsoft", "windows"];

    private static readonly string[] ReservedTagPrefixes = ["microsoft", "azure", "windows"];

    private readonly CallbackOptions _callbackOptions = callbackOptions.Value;

    /// <summary>Validates <paramref name="request"/>; on success the result carries the spec with every default applied.</summary>
    public ValidationResult<DockerVmSpec> Validate(ProvisionDockerVmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<ValidationError>();
        void Fail(string field, string rule, string message) => errors.Add(new ValidationError(field, rule, message));

        ValidateName(request.Name, Fail);
        ValidateResourceGroup(request.ResourceGroup, Fail);
        ValidateRequiredPattern(request.Location, "location", LocationPattern(), ValidationRules.LocationFormat,
            "Use the region's programmatic name: lowercase letters and digits, e.g. 'westeurope' or 'eastus2'.", Fail);
        ValidateRequiredPattern(request.VmSize, "vmSize", VmSizePattern(), ValidationRules.VmSizeFormat,
            "Use an Azure VM size name such as 'Standard_D2s_v5'.", Fail);
        ValidateImage(request.Image, Fail);
        var image = VmImageSelection.Resolve(request.VmSize, request.Image, Fail);
        ValidateAdminUsername(request.AdminUsername, Fail);
        ValidateSshKey(request.SshPublicKey, Fail);
        var cidrs = ValidateCidrs(request.AllowedSourceCidrs, request.AllowAnySource, Fail);
        var port = request.DockerPort ?? DefaultDockerPort;
        if (port is < 1024 or > 65535)
        {
            Fail("dockerPort", ValidationRules.DockerPortRange, "The Docker port must be from 1024 to 65535 (2376 is the TLS convention).");
        }

        var installer = request.Installer ?? DefaultInstaller;
        if (!Enum.IsDefined(installer))
        {
            Fail("installer", ValidationRules.InstallerUnknown, "The installer must be 'customScript' or 'dockerExtension'.");
        }

        var daemonOptions = ValidateDaemonOptions(request.DaemonOptions, Fail);
        var tags = ValidateTags(request.Tags, Fail);
        var callback = ValidateCallback(request.Callback, Fail);
        var keyAlgorithm = request.Certificates?.KeyAlgorithm ?? DefaultKeyAlgorithm;
        if (!Enum.IsDefined(keyAlgorithm))
        {
            Fail("certificates.keyAlgorithm", ValidationRules.CertificateKeyAlgorithm, "The key algorithm must be 'ecdsaP256', 'rsa2048', 'rsa3072' or 'rsa4096'.");
        }

        var validityDays = request.Certificates?.ValidityDays ?? DefaultCertificateValidityDays;
        if (validityDays is < 1 or > MaxCertificateValidityDays)
        {
            Fail("certificates.validityDays", ValidationRules.CertificateValidityRange, $"Certificate validity must be from 1 to {MaxCertificateValidityDays} days.");
        }

        if (request.IdempotencyKey is not null && !IdempotencyKeys.IsValid(request.IdempotencyKey))
        {
            Fail("idempotencyKey", ValidationRules.IdempotencyKeyFormat, IdempotencyKeys.FormatMessage);
        }

        if (errors.Count > 0)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var rules = string.Join(',', errors.Select(e => e.Rule).Distinct());
                LogRejected(logger, errors.Count, rules);
            }

            return new ValidationResult<DockerVmSpec>(errors);
        }

        return new ValidationResult<DockerVmSpec>(new DockerVmSpec
        {
            Name = request.Name!,
            ResourceGroup = request.ResourceGroup!,
            Location = request.Location!,
            VmSize = request.VmSize!,
            Image = image,
            AdminUsername = request.AdminUsername!,
            SshPublicKey = request.SshPublicKey!.Trim(),
            AllowedSourceCidrs = cidrs,
            DockerPort = port,
            Installer = installer,
            DaemonOptions = daemonOptions,
            Tags = tags,
            Callback = callback,
            KeyAlgorithm = keyAlgorithm,
            IncludeLoopbackInServerCertificate = request.Certificates?.IncludeLoopback ?? false,
            CertificateValidityDays = validityDays,
            IdempotencyKey = request.IdempotencyKey,
        });
    }

    /// <summary>The <c>Try</c> form of <see cref="Validate"/>.</summary>
    public bool TryValidate(ProvisionDockerVmRequest request, [NotNullWhen(true)] out DockerVmSpec? spec, out IReadOnlyList<ValidationError> errors)
    {
        var result = Validate(request);
        spec = result.Value;
        errors = result.Errors;
        return result.IsValid;
    }

    private static void ValidateName(string? name, Action<string, string, string> fail)
    {
        if (string.IsNullOrEmpty(name))
        {
            fail("name", ValidationRules.Required, "The VM name is required.");
            return;
        }

        // Azure's Linux VM name rules; the DNS label rules below are stricter but each message names its own rule.
        if (name.Length > 64 || !AzureVmNamePattern().IsMatch(name) || name[^1] is '-' or '.' || name[0] == '_')
        {
            fail("name", ValidationRules.VmName, "A Linux VM name has 1 to 64 characters, no spaces or \\/\"[]:|<>+=;,?*@&~!#$%^(){}'_ and does not end with a hyphen or period.");
        }

        if (!DnsLabelPattern().IsMatch(name))
        {
            fail("name", ValidationRules.DnsLabel, "The name is also the public IP's DNS label: 3 to 63 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit.");
        }

        if (ReservedWholeNames.Contains(name)
            || ReservedNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase))
            || name.StartsWith("login", StringComparison.OrdinalIgnoreCase))
        {
            fail("name", ValidationRules.ReservedResourceName, "Azure reserves this name for public endpoints: it must not be a trademark such as 'azure' or 'office', contain 'microsoft' or 'windows', or start with 'login'.");
        }
    }

    private static void ValidateResourceGroup(string? resourceGroup, Action<string, string, string> fail)
    {
        if (string.IsNullOrEmpty(resourceGroup))
        {
            fail("resourceGroup", ValidationRules.Required, "The resource group is required.");
        }
        else if (!ResourceGroupPattern().IsMatch(resourceGroup) || resourceGroup[^1] == '.')
        {
            fail("resourceGroup", ValidationRules.ResourceGroupName, "A resource group name has 1 to 90 letters, digits, underscores, hyphens, periods or parentheses and does not end with a period.");
        }
    }

    private static void ValidateRequiredPattern(string? value, string field, Regex pattern, string rule, string message, Action<string, string, string> fail)
    {
        if (string.IsNullOrEmpty(value))
        {
            fail(field, ValidationRules.Required, $"'{field}' is required.");
        }
        else if (!pattern.IsMatch(value))
        {
            fail(field, rule, message);
        }
    }

    private static void ValidateImage(VmImageReference? image, Action<string, string, string> fail)
    {
        if (image is null)
        {
            return;
        }

        const string Message = "Image publisher, offer and sku are 1 to 64 letters, digits, '.', '_' or '-'.";
        ValidateRequiredPattern(image.Publisher, "image.publisher", ImagePartPattern(), ValidationRules.ImageReference, Message, fail);
        ValidateRequiredPattern(image.Offer, "image.offer", ImagePartPattern(), ValidationRules.ImageReference, Message, fail);
        ValidateRequiredPattern(image.Sku, "image.sku", ImagePartPattern(), ValidationRules.ImageReference, Message, fail);
        ValidateRequiredPattern(image.Version, "image.version", ImageVersionPattern(), ValidationRules.ImageReference,
            "The image version is 'latest' or 'major.minor.build', e.g. '24.04.202411030'.", fail);
    }

    private static void ValidateAdminUsername(string? username, Action<string, string, string> fail)
    {
        if (string.IsNullOrEmpty(username))
        {
            fail("adminUsername", ValidationRules.Required, "The admin user name is required.");
        }
        else if (ReservedUsernames.Contains(username))
        {
            fail("adminUsername", ValidationRules.AdminUsernameReserved, $"'{username}' is a reserved user name on Azure Linux VMs; choose another.");
        }
        else if (!LinuxUsernamePattern().IsMatch(username))
        {
            fail("adminUsername", ValidationRules.AdminUsername, "A Linux user name has 1 to 32 lowercase letters, digits, '_' or '-' and starts with a letter or '_'.");
        }
    }

    private static void ValidateSshKey(string? key, Action<string, string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            fail("sshPublicKey", ValidationRules.Required, "An SSH public key is required; password logins are never enabled.");
        }
        else if (SshPublicKeyCheck.Check(key) is { } problem)
        {
            fail("sshPublicKey", problem.Rule, problem.Message);
        }
    }

    private static List<string> ValidateCidrs(IReadOnlyList<string>? cidrs, bool allowAnySource, Action<string, string, string> fail)
    {
        var accepted = new List<string>();
        if (cidrs is null)
        {
            fail("allowedSourceCidrs", ValidationRules.Required, "List the networks allowed to reach SSH and Docker, e.g. [\"203.0.113.0/24\"].");
            return accepted;
        }

        if (cidrs.Count == 0)
        {
            fail("allowedSourceCidrs", ValidationRules.CidrListEmpty, "At least one source network is required.");
        }
        else if (cidrs.Count > MaxAllowedSourceCidrs)
        {
            fail("allowedSourceCidrs", ValidationRules.CidrListTooLong, $"At most {MaxAllowedSourceCidrs} source networks are allowed.");
        }

        var allEntriesValid = true;
        for (var i = 0; i < cidrs.Count; i++)
        {
            var value = cidrs[i]?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                fail($"allowedSourceCidrs[{i}]", ValidationRules.Required, "Empty entry.");
                allEntriesValid = false;
            }
            else if (SourceCidrCheck.Check(value, allowAnySource) is { } problem)
            {
                fail($"allowedSourceCidrs[{i}]", problem.Rule, problem.Message);
                allEntriesValid = false;
            }
            else
            {
                var normalized = SourceCidrCheck.Normalize(value);
                if (!accepted.Contains(normalized, StringComparer.OrdinalIgnoreCase))
                {
                    accepted.Add(normalized);
                }
            }
        }

        // The rule is about the address space reached, not the spelling: ["0.0.0.0/1", "128.0.0.0/1"] is all of IPv4.
        if (allEntriesValid && !allowAnySource)
        {
            var covered = SourceCidrCheck.CoveredAddresses(accepted.Select(SourceCidrCheck.Range));
            if (covered > SourceCidrCheck.MaxAddressesWithoutOptIn)
            {
                fail("allowedSourceCidrs", ValidationRules.CidrTooBroad, SourceCidrCheck.TooBroadMessage(covered));
            }
        }

        return accepted;
    }

    /// <summary>The hardened defaults always come first; the request's options, parsed like dockerd parses them and
    /// checked against the allow-list, follow in canonical form.</summary>
    private static IReadOnlyList<string> ValidateDaemonOptions(IReadOnlyList<string>? options, Action<string, string, string> fail)
    {
        if (options is null || options.Count == 0)
        {
            return DefaultDaemonOptions;
        }

        if (options.Count > MaxDaemonOptions)
        {
            fail("daemonOptions", ValidationRules.DaemonOptionsTooMany, $"At most {MaxDaemonOptions} daemon options are allowed.");
            return DefaultDaemonOptions;
        }

        return [.. DefaultDaemonOptions, .. DaemonOptionsParser.Parse(options, fail)];
    }

    private static Dictionary<string, string> ValidateTags(IReadOnlyDictionary<string, string>? tags, Action<string, string, string> fail)
    {
        var accepted = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tags is null)
        {
            return accepted;
        }

        if (tags.Count > MaxCallerTags)
        {
            fail("tags", ValidationRules.TagsTooMany, $"At most {MaxCallerTags} tags are allowed (Azure allows 50 and the workflow adds its own).");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in tags)
        {
            var field = $"tags.{name}";
            if (string.IsNullOrWhiteSpace(name) || name.Length > 512 || name.AsSpan().IndexOfAny(ForbiddenTagNameChars) >= 0)
            {
                fail(field, ValidationRules.TagName, "A tag name has 1 to 512 characters and none of < > % & \\ ? /.");
            }
            else if (ReservedTagPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                fail(field, ValidationRules.TagNameReserved, "Tag names starting with 'microsoft', 'azure' or 'windows' are reserved by Azure.");
            }
            else if (name.StartsWith(WorkflowTags.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                fail(field, ValidationRules.TagNameReserved, $"Tag names starting with '{WorkflowTags.Prefix}' are reserved for the tags this service sets.");
            }
            else if (!seen.Add(name))
            {
                fail(field, ValidationRules.TagNameDuplicate, "Tag names are case-insensitive in Azure; this one differs from another only by case.");
            }

            if (value is null || value.Length > 256)
            {
                fail(field, ValidationRules.TagValue, "A tag value has at most 256 characters.");
            }
            else
            {
                accepted[name] = value;
            }
        }

        return accepted;
    }

    private CallbackTarget? ValidateCallback(CallbackRequest? callback, Action<string, string, string> fail)
    {
        if (callback is null)
        {
            return null;
        }

        var valid = true;
        var url = callback.Url;
        if (url is null)
        {
            fail("callback.url", ValidationRules.Required, "The callback URL is required when a callback is given.");
            valid = false;
        }
        else if (!url.IsAbsoluteUri)
        {
            fail("callback.url", ValidationRules.CallbackUrlAbsolute, "The callback URL must be absolute, e.g. https://example.com/hooks/docker.");
            valid = false;
        }
        else
        {
            var allowedLocal = _callbackOptions.IsAllowedLocalHost(url.IdnHost);
            if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && allowedLocal))
            {
                fail("callback.url", ValidationRules.CallbackUrlScheme, "The callback URL must use https.");
                valid = false;
            }
            else if (!string.IsNullOrEmpty(url.UserInfo))
            {
                fail("callback.url", ValidationRules.CallbackUrlCredentials, "The callback URL must not carry credentials; callbacks are authenticated by their signature.");
                valid = false;
            }
            else if (!allowedLocal && (url.IsLoopback || (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal) && AddressPolicy.WhyBlocked(literal) is not null)))
            {
                fail("callback.url", ValidationRules.CallbackUrlBlockedAddress, "The callback URL points at a loopback, private, link-local or metadata address.");
                valid = false;
            }
        }

        if (callback.Signature is not null && !string.Equals(callback.Signature, StandardWebhooksSignature, StringComparison.OrdinalIgnoreCase))
        {
            fail("callback.signature", ValidationRules.CallbackSignatureScheme, $"Only '{StandardWebhooksSignature}' signatures are supported.");
            valid = false;
        }

        var keyName = callback.SigningKey ?? CallbackOptions.DefaultSigningKeyName;
        if (!_callbackOptions.SigningKeys.ContainsKey(keyName))
        {
            fail("callback.signingKey", ValidationRules.CallbackSigningKeyUnknown, callback.SigningKey is null
                ? "No default callback signing key is configured; name a configured key."
                : "No callback signing key with this name is configured.");
            valid = false;
        }

        return valid ? new CallbackTarget(url!, callback.SigningKey) : null;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Provisioning request rejected: {ErrorCount} violation(s) of rules {Rules}")]
    private static partial void LogRejected(ILogger logger, int errorCount, string rules);

    [GeneratedRegex("^[^\\\\/\"\\[\\]:|<>+=;,?*@&~!#$%^(){}' ]{1,64}$")]
    private static partial Regex AzureVmNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex DnsLabelPattern();

    [GeneratedRegex(@"^[\p{L}\p{Nd}_\-.()]{1,90}$")]
    private static partial Regex ResourceGroupPattern();

    [GeneratedRegex("^[a-z][a-z0-9]{1,39}$")]
    private static partial Regex LocationPattern();

    [GeneratedRegex("^Standard_[A-Za-z0-9_]{1,55}$")]
    private static partial Regex VmSizePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ImagePartPattern();

    [GeneratedRegex(@"^(latest|[0-9]{1,9}\.[0-9]{1,9}\.[0-9]{1,18})$")]
    private static partial Regex ImageVersionPattern();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex LinuxUsernamePattern();
}
