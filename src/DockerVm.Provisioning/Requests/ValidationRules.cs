namespace DockerVm.Provisioning.Requests;

/// <summary>Stable, machine-readable rule ids carried in <see cref="ValidationError.Rule"/>. Callers may branch on them.</summary>
public static class ValidationRules
{
    public const string Required = "required";

    /// <summary>The body or message is not JSON, or a value has the wrong JSON type (a number in a string included).</summary>
    public const string JsonSyntax = "json-syntax";

    /// <summary>A member the contract does not have: misspelt, or in another case than camelCase (<c>Name</c>).</summary>
    public const string UnknownField = "unknown-field";

    /// <summary>The body or message is larger than <see cref="RequestJson.MaxBytes"/>.</summary>
    public const string RequestTooLarge = "request-too-large";

    /// <summary>The same member twice in one JSON object.</summary>
    public const string DuplicateField = "duplicate-field";

    public const string VmName = "vm-name";
    public const string DnsLabel = "dns-label";
    public const string ReservedResourceName = "reserved-resource-name";
    public const string ResourceGroupName = "resource-group-name";
    public const string LocationFormat = "location-format";
    public const string VmSizeFormat = "vm-size-format";
    public const string ImageReference = "image-reference";

    /// <summary>The chosen image cannot boot on the VM size (CPU architecture or Hyper-V generation).</summary>
    public const string VmSizeImageMismatch = "vm-size-image-mismatch";
    public const string AdminUsername = "admin-username";
    public const string AdminUsernameReserved = "admin-username-reserved";
    public const string SshKeyMalformed = "ssh-key-malformed";
    public const string SshKeyPrivateKey = "ssh-key-private-key";
    public const string SshKeyUnsupportedType = "ssh-key-unsupported-type";
    public const string SshKeyTooWeak = "ssh-key-too-weak";
    public const string CidrListEmpty = "cidr-list-empty";
    public const string CidrListTooLong = "cidr-list-too-long";
    public const string CidrSyntax = "cidr-syntax";
    public const string CidrHostBits = "cidr-host-bits";
    public const string CidrAnySourceNotAllowed = "cidr-any-source-not-allowed";

    /// <summary>Without <c>allowAnySource</c> the networks together cover more than one /8 of IPv4.</summary>
    public const string CidrTooBroad = "cidr-too-broad";

    /// <summary>The Docker host has an IPv4 public address only.</summary>
    public const string CidrIpv6Unsupported = "cidr-ipv6-unsupported";
    public const string DockerPortRange = "docker-port-range";
    public const string InstallerUnknown = "installer-unknown";
    public const string DaemonOptionFormat = "daemon-option-format";
    public const string DaemonOptionForbidden = "daemon-option-forbidden";

    /// <summary>Not on the allow-list of dockerd options (or not a dockerd option at all).</summary>
    public const string DaemonOptionNotAllowed = "daemon-option-not-allowed";

    /// <summary>An allowed dockerd option with a missing or unacceptable value.</summary>
    public const string DaemonOptionValue = "daemon-option-value";

    /// <summary>A single-value dockerd option given twice.</summary>
    public const string DaemonOptionRepeated = "daemon-option-repeated";
    public const string DaemonOptionsTooMany = "daemon-options-too-many";
    public const string TagsTooMany = "tags-too-many";
    public const string TagName = "tag-name";
    public const string TagNameReserved = "tag-name-reserved";
    public const string TagNameDuplicate = "tag-name-duplicate";
    public const string TagValue = "tag-value";
    public const string CallbackUrlAbsolute = "callback-url-absolute";
    public const string CallbackUrlScheme = "callback-url-scheme";
    public const string CallbackUrlCredentials = "callback-url-credentials";
    public const string CallbackUrlBlockedAddress = "callback-url-blocked-address";
    public const string CallbackSignatureScheme = "callback-signature-scheme";
    public const string CallbackSigningKeyUnknown = "callback-signing-key-unknown";
    public const string CertificateKeyAlgorithm = "certificate-key-algorithm";
    public const string CertificateValidityRange = "certificate-validity-range";
    public const string IdempotencyKeyFormat = "idempotency-key-format";
}
