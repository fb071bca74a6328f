using System.Net;
using Azure;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Network;

/// <summary>
/// Every connection to an emulated daemon passes the VM's NSG the way Azure evaluates it (rules by priority, then
/// AllowVnetInBound, AllowAzureLoadBalancerInBound, DenyAllInBound). Distinct loopback source addresses stand for distinct
/// actors: 127.0.0.1 is the caller, 127.0.2.1 an outsider.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class NsgEnforcementTests(EmulatorFixture fixture)
{
    private static readonly IPAddress Caller = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Outsider = IPAddress.Parse("127.0.2.1");
    private static readonly string[] OutsiderPrefixes = ["198.51.100.0/24", "127.0.2.0/24"];

    private async Task<(Scenario.Network Network, DockerCertificates Certificates)> HostAsync(string name, string allowedSource)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, $"rg-nsg-{name}");
        var network = await Scenario.NetworkAsync(arm, group, name, allowedSource: allowedSource);
        var certificates = TestPki.Issue(network.PublicIp, network.Fqdn);
        var vm = await Scenario.VmAsync(group, $"vm-{name}", network.NicId);
        await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.DockerExtension(certificates));
        return (network, certificates);
    }

    [Fact]
    public async Task Ping_CallerOutsideAllowedSourceCidrs_IsDroppedBeforeTls()
    {
        var (network, certificates) = await HostAsync("outsider", "127.0.0.1/32");
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate(), Outsider);

        // Even with the right client certificate: DenyAllInBound drops it.
        await DockerProbe.AssertRefusedAsync(docker);
    }

    [Fact]
    public async Task Ping_CallerInsideAllowedSourceCidrs_Answers()
    {
        var (network, certificates) = await HostAsync("insider", "127.0.0.1/32");
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate(), Caller);

        Assert.Equal("OK", await docker.GetStringAsync(new Uri("_ping", UriKind.Relative)));
    }

    [Fact]
    public async Task Ping_RuleChangedToAdmitTheOutsider_AnswersOnTheNextConnection()
    {
        var (network, certificates) = await HostAsync("rulechange", "127.0.0.1/32");
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-nsg-rulechange");
        var nsg = Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", "rulechange-nsg");

        // The plural form, one CIDR per entry (Network 2024-05-01 SecurityRulePropertiesFormat.sourceAddressPrefixes).
        await Scenario.PutAsync(arm, new Azure.Core.ResourceIdentifier($"{nsg}/securityRules/docker-outsider"), new
        {
            protocol = "Tcp", access = "Allow", direction = "Inbound", priority = 120,
            sourceAddressPrefixes = OutsiderPrefixes, sourcePortRange = "*", destinationAddressPrefix = "*", destinationPortRange = "2376",
        });
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate(), Outsider);

        Assert.Equal("OK", await docker.GetStringAsync(new Uri("_ping", UriKind.Relative)));
    }

    [Fact]
    public async Task Ping_HigherPriorityDenyForTheCaller_IsDropped()
    {
        var (network, certificates) = await HostAsync("denyfirst", "127.0.0.0/8");
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-nsg-denyfirst");
        var nsg = Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", "denyfirst-nsg");
        await Scenario.PutAsync(arm, new Azure.Core.ResourceIdentifier($"{nsg}/securityRules/deny-caller"), new
        {
            protocol = "*", access = "Deny", direction = "Inbound", priority = 105,
            sourceAddressPrefix = "127.0.0.1", sourcePortRange = "*", destinationAddressPrefix = "*", destinationPortRange = "*",
        });
        using var denied = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate(), Caller);
        using var allowed = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate(), Outsider);

        await DockerProbe.AssertRefusedAsync(denied);
        Assert.Equal("OK", await allowed.GetStringAsync(new Uri("_ping", UriKind.Relative)));
    }
}
