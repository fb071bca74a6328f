using System.Globalization;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Network;

/// <summary>Microsoft.Network/networkSecurityGroups with validated security rules and Azure's default rules.</summary>
internal sealed class NetworkSecurityGroupType : NetworkResourceType
{
    public const string Type = "Microsoft.Network/networkSecurityGroups";
    private static readonly string[] Protocols = ["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"];

    public override string TypeName => "networkSecurityGroups";

    public override IReadOnlyList<string> WritableChildren => ["securityRules"];

    public override void Prepare(PutContext put)
    {
        var properties = Begin(put);
        var id = put.Resource.Id;
        var rules = new JsonArray();
        var seen = new Dictionary<(string Direction, int Priority), string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in properties["securityRules"] as JsonArray ?? [])
        {
            if (node is not JsonObject rule)
            {
                continue;
            }

            var name = (string?)rule["name"];
            if (string.IsNullOrEmpty(name))
            {
                throw AzureErrorException.BadRequest("InvalidRequestFormat", "Cannot parse the request: security rule name is missing.");
            }

            if (!names.Add(name))
            {
                throw AzureErrorException.BadRequest("InvalidRequestFormat", $"Cannot parse the request: duplicate security rule name '{name}'.");
            }

            var ruleProperties = (JsonObject)(rule["properties"]?.DeepClone() ?? new JsonObject());
            var ruleId = $"{id}/securityRules/{name}";
            var (direction, priority) = Validate(ruleId, name, ruleProperties);
            if (seen.TryGetValue((direction, priority), out var other))
            {
                throw AzureErrorException.BadRequest(
                    "SecurityRuleConflict",
                    $"Security rule {name} conflicts with rule {other}. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.");
            }

            seen[(direction, priority)] = name;
            ruleProperties.Remove("provisioningState");
            rules.Add(Child(id, "securityRules", $"{Type}/securityRules", name, ruleProperties));
        }

        properties["securityRules"] = rules;
        properties["defaultSecurityRules"] = DefaultRules(id);
        properties.Remove("networkInterfaces");
        properties.Remove("subnets");
    }

    /// <summary>Real-Docker mode: changed rules reach the packet filters of the sandboxes behind this NSG.</summary>
    public override AzureError? Provision(ArmRuntime runtime, ArmResource resource)
    {
        NsgPacketFilter.Refresh(runtime);
        return null;
    }

    public override void EnsureDeletable(ArmRuntime runtime, ArmResource resource)
    {
        var user = OfType(runtime, NetworkInterfaceType.Type)
            .FirstOrDefault(n => string.Equals((string?)n.Properties["networkSecurityGroup"]?["id"], resource.Id, StringComparison.OrdinalIgnoreCase));
        if (user is not null)
        {
            throw AzureErrorException.Conflict(
                "InUseNetworkSecurityGroupCannotBeDeleted",
                $"Network security group {resource.Id} cannot be deleted because it is in use by the following resources: {user.Id}. In order to delete the Network security group, remove the association with the resource(s).");
        }
    }

    public override JsonObject Render(ArmRuntime runtime, ArmResource resource, Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var body = base.Render(runtime, resource, request);
        var nics = OfType(runtime, NetworkInterfaceType.Type)
            .Where(n => string.Equals((string?)n.Properties["networkSecurityGroup"]?["id"], resource.Id, StringComparison.OrdinalIgnoreCase))
            .Select(n => (JsonNode)new JsonObject { ["id"] = n.Id })
            .ToArray();
        if (nics.Length > 0)
        {
            body["properties"]!["networkInterfaces"] = new JsonArray(nics);
        }

        return body;
    }

    private static (string Direction, int Priority) Validate(string ruleId, string name, JsonObject rule)
    {
        var protocol = (string?)rule["protocol"];
        var canonicalProtocol = Protocols.FirstOrDefault(p => string.Equals(p, protocol, StringComparison.OrdinalIgnoreCase))
            ?? throw AzureErrorException.BadRequest("SecurityRuleParameterContainsUnsupportedValue", $"Security rule parameter Protocol for rule with Id {ruleId} cannot be '{protocol}'. Supported values are Tcp, Udp, Icmp, Esp, Ah, *.");
        rule["protocol"] = canonicalProtocol;

        var access = Canonical((string?)rule["access"], ["Allow", "Deny"], "Access", ruleId);
        rule["access"] = access;
        var direction = Canonical((string?)rule["direction"], ["Inbound", "Outbound"], "Direction", ruleId);
        rule["direction"] = direction;

        var priorityNode = rule["priority"];
        if (priorityNode is null || !int.TryParse(priorityNode.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var priority) || priority is < 100 or > 4096)
        {
            throw AzureErrorException.BadRequest("SecurityRuleInvalidPriority", $"Security rule {name} has invalid Priority. Value provided: {priorityNode?.ToString() ?? "null"} Allowed range 100-4096.");
        }

        rule["priority"] = priority;
        RequireOneOf(rule, "sourceAddressPrefix", "sourceAddressPrefixes", ruleId);
        RequireOneOf(rule, "destinationAddressPrefix", "destinationAddressPrefixes", ruleId);
        ValidatePorts(rule, "sourcePortRange", "sourcePortRanges", ruleId);
        ValidatePorts(rule, "destinationPortRange", "destinationPortRanges", ruleId);
        ValidatePrefixes(rule, ruleId);
        return (direction, priority);
    }

    private static string Canonical(string? value, string[] allowed, string parameter, string ruleId) =>
        allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
        ?? throw AzureErrorException.BadRequest("SecurityRuleParameterContainsUnsupportedValue", $"Security rule parameter {parameter} for rule with Id {ruleId} cannot be '{value ?? "null"}'. Supported values are {string.Join(", ", allowed)}.");

    private static IEnumerable<string> Values(JsonObject rule, string single, string plural)
    {
        if ((string?)rule[single] is { Length: > 0 } one)
        {
            yield return one;
        }

        if (rule[plural] is JsonArray many)
        {
            foreach (var item in many)
            {
                if ((string?)item is { Length: > 0 } value)
                {
                    yield return value;
                }
            }
        }
    }

    private static void RequireOneOf(JsonObject rule, string single, string plural, string ruleId)
    {
        if (!Values(rule, single, plural).Any())
        {
            throw AzureErrorException.BadRequest("SecurityRuleParameterMissing", $"Security rule {ruleId} is missing a value for {single} or {plural}.");
        }
    }

    private static void ValidatePorts(JsonObject rule, string single, string plural, string ruleId)
    {
        var values = Values(rule, single, plural).ToList();
        if (values.Count == 0)
        {
            throw AzureErrorException.BadRequest("SecurityRuleParameterMissing", $"Security rule {ruleId} is missing a value for {single} or {plural}.");
        }

        foreach (var value in values)
        {
            if (value == "*")
            {
                continue;
            }

            var bounds = value.Split('-');
            var valid = bounds.Length is 1 or 2
                && bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535)
                && (bounds.Length == 1 || int.Parse(bounds[0], CultureInfo.InvariantCulture) <= int.Parse(bounds[1], CultureInfo.InvariantCulture));
            if (!valid)
            {
                throw AzureErrorException.BadRequest("SecurityRuleInvalidPortRange", $"Security rule has invalid Port range. Value provided: {value}. Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535.");
            }
        }
    }

    /// <summary>
    /// Address prefixes as Microsoft.Network checks them: the singular property takes a CIDR, an address, <c>*</c> or a
    /// service tag; the plural takes CIDRs and addresses only (networkSecurityGroup.json, SecurityRulePropertiesFormat;
    /// the error as quoted in kubernetes/kubernetes#71789 and hashicorp/terraform-provider-azurerm#5617). IPv4 and IPv6
    /// are both valid, but not in one rule (the error as quoted in gardener/gardener-extension-provider-azure#397).
    /// </summary>
    private static void ValidatePrefixes(JsonObject rule, string ruleId)
    {
        var families = new HashSet<System.Net.Sockets.AddressFamily>();
        foreach (var (single, plural, parameter) in new[]
        {
            ("sourceAddressPrefix", "sourceAddressPrefixes", "SourceAddressPrefix"),
            ("destinationAddressPrefix", "destinationAddressPrefixes", "DestinationAddressPrefix"),
        })
        {
            var prefixes = new List<(string Value, bool InList)>();
            if ((string?)rule[single] is { Length: > 0 } one)
            {
                prefixes.Add((one, false));
            }

            foreach (var node in rule[plural] as JsonArray ?? [])
            {
                if ((string?)node is { Length: > 0 } value)
                {
                    prefixes.Add((value, true));
                }
            }

            foreach (var (prefix, inList) in prefixes)
            {
                var family = AddressPrefix.FamilyOf(prefix);
                if (family is { } f)
                {
                    families.Add(f);
                }
                else if (inList && (prefix == "*" || IsServiceTag(prefix)))
                {
                    throw AzureErrorException.BadRequest(
                        "SecurityRuleParameterContainsUnsupportedValue",
                        $"Security rule parameter {parameter} for rule with Id {ruleId} cannot specify existing VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags. Unsupported value used: {prefix}.");
                }
                else if (prefix != "*" && !IsServiceTag(prefix))
                {
                    throw AzureErrorException.BadRequest("SecurityRuleInvalidAddressPrefix", $"Security rule {ruleId} has invalid Address prefix. Value provided: {prefix}.");
                }
            }
        }

        if (families.Count > 1)
        {
            throw AzureErrorException.BadRequest(
                "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies",
                $"Resource {ruleId} contains IP addresses or prefixes that belong to different address families. All IP addresses or prefixes in the resource should belong to the same address family.");
        }
    }

    private static bool IsServiceTag(string prefix) => ServiceTags.Contains(prefix, StringComparer.OrdinalIgnoreCase);

    // "Any" is not one: ARM answers SecurityRuleInvalidAddressPrefix for it (ernestio/ernest#473); "*" means any.
    private static readonly string[] ServiceTags = ["Internet", "VirtualNetwork", "AzureLoadBalancer", "AzureCloud"];

    private static JsonArray DefaultRules(string id)
    {
        var rules = new JsonArray();
        foreach (var (name, priority, direction, access, source, destination, description) in new[]
        {
            ("AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork", "Allow inbound traffic from all VMs in VNET"),
            ("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*", "Allow inbound traffic from azure load balancer"),
            ("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*", "Deny all inbound traffic"),
            ("AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork", "Allow outbound traffic from all VMs to all VMs in VNET"),
            ("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet", "Allow outbound traffic from all VMs to Internet"),
            ("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*", "Deny all outbound traffic"),
        })
        {
            rules.Add(Child(id, "defaultSecurityRules", $"{Type}/defaultSecurityRules", name, new JsonObject
            {
                ["description"] = description,
                ["protocol"] = "*",
                ["sourcePortRange"] = "*",
                ["destinationPortRange"] = "*",
                ["sourceAddressPrefix"] = source,
                ["destinationAddressPrefix"] = destination,
                ["access"] = access,
                ["priority"] = priority,
                ["direction"] = direction,
            }));
        }

        return rules;
    }
}
