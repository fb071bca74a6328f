using DockerVm.Emulator.Faults;

namespace DockerVm.Emulator.Tests.Faults;

public sealed class RequestJournalTests
{
    [Theory]
    [InlineData("PUT", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", "PUT Microsoft.Compute/virtualMachines")]
    [InlineData("GET", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/extensions/docker", "GET Microsoft.Compute/virtualMachines/extensions")]
    [InlineData("GET", "/subscriptions/s/providers/Microsoft.Network/locations/westeurope/operations/1", "GET Microsoft.Network/locations/operations")]
    [InlineData("DELETE", "/subscriptions/s/resourcegroups/rg", "DELETE resourceGroups")]
    [InlineData("GET", "/secrets/a/123", "GET keyvault/secrets/version")]
    [InlineData("GET", "/msi/token", "GET identity/token")]
    public void OperationName_ByTypeNotInstance(string method, string path, string expected)
    {
        Assert.Equal(expected, RequestJournal.OperationName(method, path));
    }

    [Fact]
    public void Record_BeyondCapacity_KeepsNewestAndCountsAll()
    {
        var journal = new RequestJournal(capacity: 2);
        for (var i = 0; i < 3; i++)
        {
            journal.Record(new RequestLogEntry(DateTimeOffset.UtcNow, "GET", $"/secrets/s{i}", 200, 1, "GET keyvault/secrets"));
        }

        Assert.Equal(["/secrets/s1", "/secrets/s2"], journal.Entries.Select(e => e.Path));
        Assert.Equal(3, journal.Counters["GET keyvault/secrets"]);
    }
}
