using System.Text.Json;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Identity;

namespace DockerVm.Emulator.Hosting;

/// <summary>The control API under <c>/_emulator</c> (loopback only, no token): what tests and scripts use to steer the emulator.</summary>
internal static class ControlEndpoints
{
    public const string Prefix = "/_emulator";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapControl(this IEndpointRouteBuilder app, EmulatorControl control, TokenService tokens)
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
        group.MapGet("/token", (string resource) =>
        {
            var (token, expiresOn) = tokens.Issue(TokenService.NormalizeAudience(resource));
            return Results.Text(new JsonObject { ["access_token"] = token, ["expires_on"] = expiresOn.ToUnixTimeSeconds() }.ToJsonString(), ArmHttp.JsonContentType);
        });
    }
}
