namespace DockerVm.Emulator.Guest;

/// <summary>Logs of guest sandboxes and of the real-Docker mode (event ids 1500–1519).</summary>
internal static partial class GuestLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Guest sandbox {Name} ({HostName}) up at {Address} (host end {HostAddress}) in {ElapsedMs} ms")]
    public static partial void Started(ILogger logger, string name, string hostName, System.Net.IPAddress address, System.Net.IPAddress hostAddress, long elapsedMs);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Guest sandbox {Name} torn down in {ElapsedMs} ms ({Stragglers} processes killed after its init)")]
    public static partial void Stopped(ILogger logger, string name, long elapsedMs, int stragglers);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Guest sandbox {Name}: teardown step '{Step}' failed: {Reason}")]
    public static partial void TeardownStepFailed(ILogger logger, string name, string step, string reason);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Guest sandbox {Name}: {Handler} exited with {ExitCode} after {ElapsedMs} ms")]
    public static partial void HandlerRan(ILogger logger, string name, string handler, int exitCode, long elapsedMs);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Guest sandbox {Name}: packet filter applied ({Rules} rules)")]
    public static partial void PacketFilterApplied(ILogger logger, string name, int rules);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "Guest sandbox {Name}: {Handler} failed with exit code {ExitCode}; docker.service's journal ends:\n{Journal}")]
    public static partial void HandlerFailed(ILogger logger, string name, string handler, int exitCode, string journal);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Real-Docker mode: {What} for {ResourceId} failed: {Reason}")]
    public static partial void RealDockerFailed(ILogger logger, string what, string resourceId, string reason);
}
