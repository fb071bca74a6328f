using DockerVm.RealDocker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DockerVm.RealDocker.Tests;

/// <summary>The seed's DockerExtension: its handler's enable applied to the settings StartDockerInstallation builds
/// (three PEM files, the rewritten docker.service), then the verify-only CustomScript of StartDockerVerification.</summary>
[Collection("2 DockerExtension")]
public sealed class DockerExtensionInstallTests(DockerExtensionFixture fixture, ITestOutputHelper output)
    : RealDaemonChecks<DockerExtensionFixture>(fixture, output), IClassFixture<DockerExtensionFixture>;
