using Xunit.Abstractions;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>Runs the collections in the order of their names: the installers' hosts first, the host-isolation check last.</summary>
public sealed class CollectionsByName : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName, StringComparer.Ordinal);
}
