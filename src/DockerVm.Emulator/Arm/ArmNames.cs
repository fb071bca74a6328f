using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Arm;

/// <summary>Azure naming rules for the types served.</summary>
internal static partial class ArmNames
{
    public static readonly IReadOnlyList<string> Locations =
    [
        "eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus",
        "westcentralus", "canadacentral", "canadaeast", "brazilsouth", "northeurope", "westeurope", "uksouth",
        "ukwest", "francecentral", "germanywestcentral", "norwayeast", "swedencentral", "switzerlandnorth",
        "polandcentral", "italynorth", "spaincentral", "eastasia", "southeastasia", "japaneast", "japanwest",
        "koreacentral", "centralindia", "southindia", "australiaeast", "australiasoutheast", "uaenorth",
        "southafricanorth", "qatarcentral", "israelcentral", "mexicocentral", "newzealandnorth",
        "chinanorth3", "chinaeast3", "usgovvirginia", "usgovarizona", "usgovtexas",
    ];

    public static string NormalizeLocation(string? location, string type)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw AzureErrorException.BadRequest("LocationRequired", "The location property is required for this definition.");
        }

        var normalized = location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (!Locations.Contains(normalized))
        {
            throw AzureErrorException.BadRequest(
                "LocationNotAvailableForResourceType",
                $"The provided location '{location}' is not available for resource type '{type}'. List of available regions for the resource type is '{string.Join(",", Locations)}'.");
        }

        return normalized;
    }

    /// <summary>Network resources: 1-80 chars, alphanumerics, '_', '.', '-'; start alphanumeric; end alphanumeric or '_'.</summary>
    public static void ValidateNetworkStyle(string name, string type)
    {
        if (name.Length > 80 || !NetworkName().IsMatch(name))
        {
            throw AzureErrorException.BadRequest(
                "InvalidResourceName",
                $"Resource name {name} is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.",
                type);
        }
    }

    /// <summary>Resource group names: 1-90 chars, alphanumerics, '_', '(', ')', '-', '.'; not ending in '.'.</summary>
    public static void ValidateResourceGroup(string name)
    {
        if (name.Length > 90 || !ResourceGroupName().IsMatch(name) || name.EndsWith('.'))
        {
            throw AzureErrorException.BadRequest(
                "InvalidResourceGroupName",
                $"The resource group name '{name}' is invalid. Resource group names only allow alphanumeric characters, periods, underscores, hyphens and parenthesis and cannot end in a period.");
        }
    }

    /// <summary>Linux VM / host names: up to 64 chars, no special characters, not ending in '.' or '-'.</summary>
    public static void ValidateLinuxHostName(string name, string target)
    {
        if (name.Length is 0 or > 64 || !LinuxHostName().IsMatch(name) || name.EndsWith('.') || name.EndsWith('-')
            || name.All(char.IsDigit))
        {
            throw AzureErrorException.BadRequest(
                "InvalidParameter",
                "Linux host name cannot exceed 64 characters in length or contain the following characters: ` ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \\ | ; : ' \" , < > / ?.",
                target);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]$|^[A-Za-z0-9]$")]
    private static partial Regex NetworkName();

    [GeneratedRegex(@"^[\p{L}\p{N}_().-]+$")]
    private static partial Regex ResourceGroupName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]*$")]
    private static partial Regex LinuxHostName();
}
