using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Network;

public sealed record CreateNetworkSecurityGroupInput(
    string ResourceGroup,
    string Location,
    string Name,
    IReadOnlyList<string> AllowedSourceCidrs,
    int DockerPort,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="Operation">The PUT ARM accepted; the orchestration waits for it.</param>
public sealed record CreateNetworkSecurityGroupOutput(string ResourceId, ArmOperationHandle Operation);

/// <summary>Starts the PUT of an NSG that lets only the caller's CIDRs reach SSH (22) and the Docker port; everything else stays closed
/// (Azure's default rules deny other inbound Internet traffic).</summary>
public sealed class CreateNetworkSecurityGroup(ArmClient arm, IOptions<AzureOptions> azure)
    : TaskActivity<CreateNetworkSecurityGroupInput, CreateNetworkSecurityGroupOutput>
{
    public override async Task<CreateNetworkSecurityGroupOutput> RunAsync(TaskActivityContext context, CreateNetworkSecurityGroupInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = NetworkResources.Id(azure.Value.SubscriptionId, input.ResourceGroup, "networkSecurityGroups", input.Name);
        var operation = await NetworkResources.StartPutAsync(arm, id, input.Location, input.Tags, BuildProperties(input.AllowedSourceCidrs, input.DockerPort));
        return new CreateNetworkSecurityGroupOutput(id, operation);
    }

    /// <summary>The NSG's <c>properties</c>: SSH and the Docker port inbound from <paramref name="sources"/> only (the
    /// benchmark sends the same body). Sources are placed the way Microsoft.Network accepts them: IPv4 networks together
    /// in one rule's <c>sourceAddressPrefixes</c>, IPv6 networks in a rule of their own (one rule cannot mix families:
    /// <c>ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies</c>), and <c>*</c> or a service tag alone in
    /// the singular <c>sourceAddressPrefix</c> (the plural takes CIDRs and addresses only:
    /// <c>SecurityRuleParameterContainsUnsupportedValue</c>; networkSecurityGroup.json, SecurityRulePropertiesFormat).</summary>
    public static object BuildProperties(IReadOnlyList<string> sources, int dockerPort)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var groups = Group(sources);
        var port = dockerPort.ToString(CultureInfo.InvariantCulture);
        var rules = new List<object>();
        for (var i = 0; i < groups.Count; i++)
        {
            rules.Add(Rule("allow-ssh" + groups[i].NameSuffix, 100 + i, "22", groups[i]));
        }

        for (var i = 0; i < groups.Count; i++)
        {
            rules.Add(Rule("allow-docker-tls" + groups[i].NameSuffix, 110 + i, port, groups[i]));
        }

        return new { securityRules = rules };
    }

    private static object Rule(string name, int priority, string port, SourceGroup group)
    {
        var properties = new Dictionary<string, object>
        {
            ["priority"] = priority,
            ["direction"] = "Inbound",
            ["access"] = "Allow",
            ["protocol"] = "Tcp",
            ["sourcePortRange"] = "*",
            ["destinationAddressPrefix"] = "*",
            ["destinationPortRange"] = port,
        };
        if (group.Tag is { } tag)
        {
            properties["sourceAddressPrefix"] = tag;
        }
        else
        {
            properties["sourceAddressPrefixes"] = group.Prefixes;
        }

        return new { name, properties };
    }

    /// <summary>IPv4 first (its rules keep the plain names), then IPv6, then each tag in the order given. At most a few
    /// groups exist (the request allows IPv4, <c>*</c> and <c>Internet</c>), far from the 10 priorities per port.</summary>
    private static List<SourceGroup> Group(IReadOnlyList<string> sources)
    {
        var ipv4 = new List<string>();
        var ipv6 = new List<string>();
        var tags = new List<string>();
        foreach (var source in sources)
        {
            var slash = source.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(slash < 0 ? source : source[..slash], out var address))
            {
                if (!tags.Contains(source, StringComparer.OrdinalIgnoreCase))
                {
                    tags.Add(source);
                }
            }
            else
            {
                (address.AddressFamily == AddressFamily.InterNetworkV6 ? ipv6 : ipv4).Add(source);
            }
        }

        var groups = new List<SourceGroup>();
        if (ipv4.Count > 0)
        {
            groups.Add(new SourceGroup(null, ipv4, ""));
        }

        if (ipv6.Count > 0)
        {
            groups.Add(new SourceGroup(null, ipv6, "-ipv6"));
        }

        groups.AddRange(tags.Select(t => new SourceGroup(t, [], t == "*" ? "-any" : "-" + t.ToLowerInvariant())));
        if (groups.Count > 10)
        {
            throw new ArgumentException("Too many kinds of source address for one priority block.", nameof(sources));
        }

        // The first group's rules keep the plain names whatever it holds.
        if (groups.Count > 0)
        {
            groups[0] = groups[0] with { NameSuffix = "" };
        }

        return groups;
    }

    private sealed record SourceGroup(string? Tag, IReadOnlyList<string> Prefixes, string NameSuffix);
}
