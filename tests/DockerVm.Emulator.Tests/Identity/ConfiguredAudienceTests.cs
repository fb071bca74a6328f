using Azure;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Identity;

/// <summary>A sovereign-cloud style audience: ARM accepts tokens for it and refuses public-cloud ones.</summary>
public sealed class ConfiguredAudienceTests
{
    [Fact]
    public async Task ArmAudience_Configured_OnlyThatAudienceAccepted()
    {
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { ArmAudience = "https://management.chinacloudapi.cn" });

        var accepted = await AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)).GetDefaultSubscriptionAsync();
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() =>
            AzureClients.Arm(emulator, EmulatorTokenCredential.Fixed(emulator.IssueToken("https://management.azure.com"))).GetDefaultSubscriptionAsync());

        Assert.Equal(emulator.SubscriptionId, accepted.Data.SubscriptionId);
        Assert.Equal("InvalidAuthenticationTokenAudience", refused.ErrorCode);
    }
}
