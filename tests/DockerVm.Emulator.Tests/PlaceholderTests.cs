namespace DockerVm.Emulator.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void EmulatorAssembly_Loads() => Assert.NotNull(typeof(Program).Assembly);
}
