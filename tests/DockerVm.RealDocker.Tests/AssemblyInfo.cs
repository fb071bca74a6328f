using System.Runtime.Versioning;
using DockerVm.RealDocker.Tests.Infrastructure;

// Linux namespaces, a Linux dockerd.
[assembly: SupportedOSPlatform("linux")]

// One real dockerd at a time (two cores), and the host-isolation check after every sandbox is gone.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestCollectionOrderer("DockerVm.RealDocker.Tests.Infrastructure." + nameof(CollectionsByName), "DockerVm.RealDocker.Tests")]
