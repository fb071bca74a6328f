using DockerVm.RealDocker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DockerVm.RealDocker.Tests;

/// <summary>The default installer: the script StartDockerInstallation builds, decoded as the CustomScript handler does
/// and run unmodified with <c>/bin/sh -c</c> in a guest sandbox; its in-VM check at the end runs for real too.</summary>
[Collection("1 CustomScript")]
public sealed class CustomScriptInstallTests(CustomScriptFixture fixture, ITestOutputHelper output)
    : RealDaemonChecks<CustomScriptFixture>(fixture, output), IClassFixture<CustomScriptFixture>;
