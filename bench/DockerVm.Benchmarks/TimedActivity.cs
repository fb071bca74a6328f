using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask;

namespace DockerVm.Benchmarks;

/// <summary>Runs a real activity and adds its execution time to its instance's total: what a consumption plan bills.</summary>
internal sealed class TimedActivity(ITaskActivity inner, ActivityClock clock) : ITaskActivity
{
    public Type InputType => inner.InputType;

    public Type OutputType => inner.OutputType;

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.RunAsync(context, input);
        }
        finally
        {
            clock.Add(context.InstanceId, context.Name.Name, Stopwatch.GetElapsedTime(started));
        }
    }
}

/// <summary>Activity executions and their time, per orchestration instance and per activity name.</summary>
internal sealed class ActivityClock
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Name, TimeSpan Elapsed)>> runs = new(StringComparer.Ordinal);

    public void Add(string instanceId, string name, TimeSpan elapsed) =>
        runs.GetOrAdd(instanceId, _ => new ConcurrentQueue<(string, TimeSpan)>()).Enqueue((name, elapsed));

    public IReadOnlyList<(string Name, TimeSpan Elapsed)> For(string instanceId) =>
        runs.TryGetValue(instanceId, out var queue) ? [.. queue] : [];
}
