using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Arm;

/// <summary>
/// The <c>$filter</c> of Resources - List (subscription and resource group scope): <c>eq</c> comparisons on
/// <c>resourceType</c>, <c>name</c>, <c>location</c>, <c>resourceGroup</c>, <c>tagName</c>/<c>tagValue</c>, joined by
/// <c>and</c> — what <c>az resource list --resource-type/--name/--location/--tag</c> and the SDKs' examples send
/// (<c>$filter=resourceType eq 'Microsoft.Network/virtualNetworks'</c>). Anything else is refused the way ARM refuses
/// a filter it cannot read (400 <c>InvalidFilterInQueryString</c>, "Invalid $filter '…' specified in the query
/// string.", as quoted in azure-sdk-for-net#18748 and azure-sdk-for-go#2480): a listing that ignored the filter would
/// hand clients resources they did not ask for.
/// </summary>
internal static partial class ResourceFilter
{
    public static Func<ArmResource, bool> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return _ => true;
        }

        var clauses = new List<(string Field, string Value)>();
        foreach (var clause in And().Split(filter.Trim()))
        {
            var match = Clause().Match(clause.Trim());
            if (!match.Success)
            {
                throw Invalid(filter);
            }

            clauses.Add((match.Groups["field"].Value.ToLowerInvariant(), match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal)));
        }

        var tagName = clauses.Where(c => c.Field == "tagname").Select(c => c.Value).ToList();
        var tagValue = clauses.Where(c => c.Field == "tagvalue").Select(c => c.Value).ToList();
        if (tagName.Count > 1 || tagValue.Count > 1 || (tagValue.Count == 1 && tagName.Count == 0))
        {
            throw Invalid(filter);
        }

        return resource => clauses.All(c => c.Field switch
        {
            "resourcetype" => Same(resource.Type, c.Value),
            "name" => Same(resource.Name, c.Value),
            "location" => Same(resource.Location, c.Value),
            "resourcegroup" => Same(resource.ResourceGroup, c.Value),
            "tagname" => Tag(resource, c.Value, tagValue.Count == 1 ? tagValue[0] : null),
            _ => true, // tagvalue: matched together with its tagName
        });
    }

    private static bool Same(string actual, string expected) => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

    private static bool Tag(ArmResource resource, string name, string? value) =>
        resource.Body["tags"]?.AsObject().Any(t => Same(t.Key, name) && (value is null || (string?)t.Value == value)) == true;

    private static AzureErrorException Invalid(string filter) =>
        AzureErrorException.BadRequest("InvalidFilterInQueryString", $"Invalid $filter '{filter}' specified in the query string.");

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex And();

    [GeneratedRegex(@"^(?<field>resourceType|name|location|resourceGroup|tagName|tagValue)\s+eq\s+'(?<value>(?:[^']|'')*)'$", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();
}
