namespace DockerVm.Provisioning.Callbacks;

/// <summary>Outbound callback settings, section <c>Callbacks</c>.</summary>
public sealed class CallbackOptions
{
    public const string SectionName = "Callbacks";

    /// <summary>Key used when a request names no signing key.</summary>
    public const string DefaultSigningKeyName = "default";

    /// <summary>Standard Webhooks secrets (<c>whsec_</c> + base64) by name. Requests only ever carry the name.</summary>
    public IDictionary<string, string> SigningKeys { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Local mode only: host names or IP addresses that callbacks may reach although they are loopback or private,
    /// and that may be called over plain http.
    /// </summary>
    public IList<string> AllowedLocalHosts { get; } = [];

    /// <summary>CloudEvents <c>source</c> attribute (a URI reference).</summary>
    public string Source { get; set; } = "/dockervmfunctions";

    /// <summary>POSTs per callback, the first one included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the second attempt; doubles per attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of one POST, connection included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when <paramref name="host"/> (a DNS name or IP literal) is in <see cref="AllowedLocalHosts"/>.</summary>
    public bool IsAllowedLocalHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var trimmed = host.Trim('[', ']');
        return AllowedLocalHosts.Any(h => string.Equals(h.Trim().Trim('[', ']'), trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
