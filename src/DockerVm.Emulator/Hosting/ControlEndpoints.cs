using System.Text.Json;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Identity;

namespace DockerVm.Emulator.Hosting;

/// <summary>
/// The control API under <c>/_emulator</c> (loopback only): what tests and scripts use to steer the emulator. Every
/// endpoint but <c>health</c> requires the control secret in <see cref="SecretHeader"/>; <c>token</c> requires the
/// identity header instead, like the managed-identity endpoint.
/// </summary>
internal static class ControlEndpoints
{
    public const string Prefix = "/_emulator";

    public const string SecretHeader = "X-Emulator-Control-Secret";

    /// <summary>Readiness answers anyone; the token endpoint has its own guard (the identity header).</summary>
    public static bool RequiresSecret(PathString path) =>
        !path.StartsWithSegments(Prefix + "/health", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments(Prefix + "/token", StringComparison.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapControl(this IEndpointRouteBuilder app, EmulatorControl control, TokenService tokens, string identityHeader, ILogger logger)
    {
        var group = app.MapGroup(Prefix);
        group.MapGet("/health", () => Results.Json(new { status = "ok", daemons = control.RunningDockerDaemons }, Json));
        group.MapGet("/state", () => Results.Text(control.DumpState().ToJsonString(ArmHttp.WireOptions), ArmHttp.JsonContentType));
        group.MapPost("/reset", () =>
        {
            control.Reset();
            return Results.NoContent();
        });
        group.MapGet("/faults", () => Results.Json(control.Faults, Json));
        group.MapPost("/faults", (FaultRule rule) =>
        {
            control.InjectFault(rule);
            return Results.Created($"{Prefix}/faults", rule);
        });
        group.MapDelete("/faults", () =>
        {
            control.ClearFaults();
            return Results.NoContent();
        });
        group.MapGet("/latencies", () => Results.Json(control.Latencies, Json));
        group.MapPost("/latencies", (LatencyRule rule) =>
        {
            control.AddLatency(rule);
            return Results.Created($"{Prefix}/latencies", rule);
        });
        group.MapGet("/durations", () => Results.Json(control.Durations, Json));
        group.MapPut("/durations", (LroDurations durations) =>
        {
            control.Durations.VirtualMachine = durations.VirtualMachine;
            control.Durations.Extension = durations.Extension;
            control.Durations.Network = durations.Network;
            control.Durations.Delete = durations.Delete;
            control.Durations.ResourceGroupDelete = durations.ResourceGroupDelete;
            control.Durations.SecretDelete = durations.SecretDelete;
            return Results.Json(control.Durations, Json);
        });
        group.MapGet("/throttling", () => Results.Json(control.Throttling, Json));
        group.MapPut("/throttling", (ThrottlingOptions throttling) =>
        {
            control.ConfigureThrottling(throttling);
            return Results.Json(throttling, Json);
        });
        group.MapDelete("/throttling", () =>
        {
            control.ConfigureThrottling(null);
            return Results.NoContent();
        });
        group.MapGet("/requests", (int? take) => Results.Json(control.RequestLog.TakeLast(take ?? 200), Json));
        group.MapDelete("/requests", () =>
        {
            control.ClearRequestLog();
            return Results.NoContent();
        });
        group.MapGet("/counters", () => Results.Json(control.OperationCounters, Json));
        group.MapGet("/daemons", () => Results.Json(control.DockerDaemons, Json));
        group.MapGet("/token", ctx => ManagedIdentityEndpoints.IssueForToolsAsync(ctx, tokens, identityHeader, logger));
    }
}
