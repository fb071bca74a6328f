namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Base of every end-to-end test class. xUnit creates one instance per test and awaits <see cref="DisposeAsync"/> after
/// it, failing that test on an exception, so every test's output is scanned for key material whatever order the test
/// classes run in. Tests of the collection run one at a time, so a finding points at the test that just ran or at work
/// an earlier test left running.
/// </summary>
public abstract class LocalStackTest : IAsyncLifetime
{
    protected LocalStackTest(LocalStackFixture stack) => Stack = stack;

    protected LocalStackFixture Stack { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        var findings = await KeyMaterialScanner.FindAsync(Stack);
        Assert.True(findings.Count == 0, "Key material found in: " + string.Join(", ", findings));
    }
}
