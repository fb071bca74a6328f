using DockerVm.Testing;

namespace DockerVm.LocalHost.Tests.Infrastructure;

/// <summary>One Azurite for every test that needs storage; tests isolate themselves by task hub and queue names.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    public async Task InitializeAsync() => Azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
