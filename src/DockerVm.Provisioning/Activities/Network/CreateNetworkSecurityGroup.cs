using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
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

public sealed record CreateNetworkSecurityGroupOutput(string ResourceId);

/// <summary>NSG that lets only the caller's CIDRs reach SSH (22) and the Docker port; everything else stays closed
/// (Azure's default rules deny other inbound Internet traffic).</summary>
public sealed class CreateNetworkSecurityGroup(ArmClient arm, IOptions<AzureOptions> azure)
    : TaskActivity<CreateNetworkSecurityGroupInput, CreateNetworkSecurityGroupOutput>
{
    public override async Task<CreateNetworkSecurityGroupOutput> RunAsync(TaskActivityContext context, CreateNetworkSecurityGroupInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = NetworkResources.Id(azure.Value.SubscriptionId, input.ResourceGroup, "networkSecurityGroups", input.Name);
        var nsg = await NetworkResources.PutAsync(arm, id, input.Location, input.Tags, BuildProperties(input.AllowedSourceCidrs, input.DockerPort));
        return new CreateNetworkSecurityGroupOutput(nsg.Id.ToString());
    }

    /// <summary>The NSG's <c>properties</c>: SSH and the Docker port inbound from <paramref name="sources"/> only (the
    /// benchmark sends the same body).</summary>
    public static object BuildProperties(IReadOnlyList<string> sources, int dockerPort) => new
    {
        securityRules = new[]
        {
            Rule("allow-ssh", 100, "22", sources),
            Rule("allow-docker-tls", 110, dockerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), sources),
        },
    };

    private static object Rule(string name, int priority, string port, IReadOnlyList<string> sources) => new
    {
        name,
        properties = new
        {
            priority,
            direction = "Inbound",
            access = "Allow",
            protocol = "Tcp",
            sourceAddressPrefixes = sources,
            sourcePortRange = "*",
            destinationAddressPrefix = "*",
            destinationPortRange = port,
        },
    };
}
