namespace DockerVm.Emulator.Hosting;

/// <summary>The emulator's log messages (source-generated, stable event ids).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {DurationMs:F1} ms")]
    public static partial void RequestServed(ILogger logger, string method, string path, int status, double durationMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Azure emulator listening on {BaseUri}")]
    public static partial void Listening(ILogger logger, Uri baseUri);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Injected fault {Kind} on {Method} {Path}")]
    public static partial void FaultInjected(ILogger logger, DockerVm.Emulator.Faults.FaultKind kind, string method, Microsoft.AspNetCore.Http.PathString path);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Request throttled: {Method} {Path}, retry after {RetryAfter}")]
    public static partial void Throttled(ILogger logger, string method, Microsoft.AspNetCore.Http.PathString path, TimeSpan retryAfter);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Token rejected for {Path}: {Reason}")]
    public static partial void TokenRejected(ILogger logger, Microsoft.AspNetCore.Http.PathString path, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Issued token for {Resource} (api-version {ApiVersion})")]
    public static partial void TokenIssued(ILogger logger, string resource, string apiVersion);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Emulated Docker daemon listening on {Endpoint} for {HostName}")]
    public static partial void DockerDaemonStarted(ILogger logger, System.Net.IPEndPoint endpoint, string hostName);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Emulated Docker daemon on {Endpoint} stopped")]
    public static partial void DockerDaemonStopped(ILogger logger, System.Net.IPEndPoint endpoint);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "Docker connection on {Endpoint} closed")]
    public static partial void DockerConnectionClosed(ILogger logger, System.Net.IPEndPoint endpoint, Exception reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Extension {ExtensionId} failed: {Reason}")]
    public static partial void ExtensionFailed(ILogger logger, string extensionId, string reason);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Extension {ExtensionId} did not configure a Docker TLS daemon; none started")]
    public static partial void ExtensionWithoutDaemon(ILogger logger, string extensionId);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Emulator state reset")]
    public static partial void StateReset(ILogger logger);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Information, Message = "Restored emulator state from {Path}: {Resources} resources, {Secrets} secrets")]
    public static partial void StateRestored(ILogger logger, string path, int resources, int secrets);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Warning, Message = "Saving the emulator state to {Path} failed: {Reason}")]
    public static partial void StateSaveFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "The Docker daemon of extension {ExtensionId} was not restored: {Reason}")]
    public static partial void DaemonNotRestored(ILogger logger, string extensionId, string reason);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Information, Message = "Control API request refused for {Path}: no or wrong control secret")]
    public static partial void ControlRefused(ILogger logger, Microsoft.AspNetCore.Http.PathString path);

    [LoggerMessage(EventId = 1034, Level = LogLevel.Information, Message = "Token request refused for {Path}: the {Header} header is missing or wrong")]
    public static partial void IdentityRefused(ILogger logger, Microsoft.AspNetCore.Http.PathString path, string header);

    [LoggerMessage(EventId = 1060, Level = LogLevel.Information, Message = "Token request refused for {Path}: a POST form without the identity header (Cloud Shell convention); the endpoint takes App Service's GET with X-IDENTITY-HEADER or secret (for az login --identity also set APPSETTING_WEBSITE_SITE_NAME)")]
    public static partial void IdentityFormRefused(ILogger logger, Microsoft.AspNetCore.Http.PathString path);
}
