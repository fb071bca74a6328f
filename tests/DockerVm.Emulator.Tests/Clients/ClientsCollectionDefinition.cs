namespace DockerVm.Emulator.Tests.Clients;

/// <summary>The tests that run real clients as child processes share one emulator and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClientsCollectionDefinition : ICollectionFixture<ClientsFixture>
{
    public const string Name = "clients";
}
