namespace DockerVm.Testing;

/// <summary>One orchestration start as the code under test asked for it.</summary>
public sealed record ScheduledOrchestration(string Name, string InstanceId, object? Input);
