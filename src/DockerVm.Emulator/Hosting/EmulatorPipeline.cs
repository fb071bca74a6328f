using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Identity;
using Microsoft.AspNetCore.Http.Features;

namespace DockerVm.Emulator.Hosting;

/// <summary>Cross-cutting behaviour, outermost first: journal, Azure error shape, latency, faults, throttling, tokens.</summary>
internal static partial class EmulatorPipeline
{
    public static void UseEmulatorPipeline(
        this IApplicationBuilder app, EmulatorOptions options, RequestJournal journal, FaultInjector faults,
        Throttler throttler, BearerAuthentication auth, ResourceStore store, string controlSecret, ILogger logger)
    {
        // ARM treats empty path segments as absent: az sends "providers/Microsoft.Network//publicIPAddresses/x" for a
        // resource without a parent (azure-mgmt-resource's URL template ".../providers/{namespace}/{parentResourcePath}/
        // {resourceType}/{name}" with an empty parent path), and "{endpoint}//metadata/endpoints" when the registered
        // endpoint ends with a slash (msrestazure appends "/metadata/endpoints"). Collapse them before routing.
        app.Use((ctx, next) =>
        {
            if (ctx.Request.Path.Value is { } raw && raw.Contains("//", StringComparison.Ordinal))
            {
                ctx.Request.Path = new PathString(RepeatedSlashes().Replace(raw, "/"));
            }

            return next(ctx);
        });
        app.UseRouting();

        app.Use(async (ctx, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var requestId = Guid.NewGuid().ToString();
            ctx.Response.Headers["x-ms-request-id"] = requestId;
            ctx.Response.Headers["x-ms-correlation-request-id"] = ctx.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? requestId;
            if (ctx.Request.Headers.TryGetValue("x-ms-client-request-id", out var clientRequestId))
            {
                ctx.Response.Headers["x-ms-client-request-id"] = clientRequestId;
            }

            try
            {
                await next(ctx);
            }
            catch (AzureErrorException ex) when (!ctx.Response.HasStarted)
            {
                await ArmHttp.WriteErrorAsync(ctx, ex);
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var path = ctx.Request.Path.Value ?? "/";
                var status = ctx.Features.Get<IHttpResponseFeature>()?.StatusCode ?? ctx.Response.StatusCode;
                if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
                {
                    store.Touch(); // a write: the state file is due for a save
                }

                journal.Record(new RequestLogEntry(options.TimeProvider.GetUtcNow(), ctx.Request.Method, path, status, elapsed, RequestJournal.OperationName(ctx.Request.Method, path)));
                Log.RequestServed(logger, ctx.Request.Method, path, status, elapsed);
            }
        });

        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path;
            if (path.StartsWithSegments(ControlEndpoints.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                if (ControlEndpoints.RequiresSecret(path) && !SharedSecret.Matches(ctx.Request.Headers[ControlEndpoints.SecretHeader].ToString(), controlSecret))
                {
                    Log.ControlRefused(logger, path);
                    throw new AzureErrorException(401, "Unauthorized", $"The emulator's control API requires the {ControlEndpoints.SecretHeader} header with the control secret (the emulator writes it to its control secret file, e.g. .local/emulator/control-secret).");
                }

                await next(ctx);
                return;
            }

            var delay = options.BaseLatency + faults.LatencyFor(ctx.Request.Method, path);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, options.TimeProvider, ctx.RequestAborted);
            }

            if (faults.TakeImmediate(ctx.Request.Method, path) is { } fault)
            {
                Log.FaultInjected(logger, fault.Kind, ctx.Request.Method, path);
                if (fault.Kind == FaultKind.ConnectionDrop)
                {
                    ctx.Abort();
                    return;
                }

                throw ToError(fault);
            }

            var isArm = BearerAuthentication.IsArmPath(path);
            if (isArm)
            {
                var subscription = path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } segments
                    && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? segments[1] : "tenant";
                var (allowed, remaining, retryAfter, isWrite) = throttler.TryAcquire(subscription, ctx.Request.Method);
                if (remaining >= 0)
                {
                    ctx.Response.Headers[isWrite ? "x-ms-ratelimit-remaining-subscription-writes" : "x-ms-ratelimit-remaining-subscription-reads"] =
                        remaining.ToString(CultureInfo.InvariantCulture);
                }

                if (!allowed)
                {
                    Log.Throttled(logger, ctx.Request.Method, path, retryAfter);
                    var throttled = new AzureErrorException(429, "TooManyRequests", $"The request is being throttled as the limit has been reached for operation type - {(isWrite ? "Write" : "Read")}. For more information, see - https://aka.ms/armthrottling");
                    throttled.Headers["Retry-After"] = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    throw throttled;
                }

                auth.AuthenticateArm(ctx);
            }
            else if (BearerAuthentication.IsKeyVaultPath(path))
            {
                auth.AuthenticateKeyVault(ctx);
            }

            await next(ctx);
        });
    }

    [GeneratedRegex("/{2,}")]
    private static partial Regex RepeatedSlashes();

    private static AzureErrorException ToError(FaultRule fault)
    {
        var retryAfter = Math.Max(0, Math.Ceiling(fault.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var error = fault.Kind switch
        {
            FaultKind.TooManyRequests => new AzureErrorException(429, fault.ErrorCode ?? "TooManyRequests", fault.ErrorMessage ?? "The request is being throttled as the limit has been reached for operation type - Write. For more information, see - https://aka.ms/armthrottling"),
            FaultKind.ServiceUnavailable => new AzureErrorException(503, fault.ErrorCode ?? "ServiceUnavailable", fault.ErrorMessage ?? "The service is temporarily unavailable. Please retry later."),
            FaultKind.AuthorizationFailed => new AzureErrorException(403, fault.ErrorCode ?? "AuthorizationFailed", fault.ErrorMessage ?? "The client does not have authorization to perform this action over the requested scope, or the scope is invalid. If access was recently granted, please refresh your credentials."),
            _ => new AzureErrorException(500, fault.ErrorCode ?? "InternalServerError", fault.ErrorMessage ?? "Encountered internal server error. Diagnostic information: injected fault."),
        };
        if (fault.Kind is FaultKind.TooManyRequests or FaultKind.ServiceUnavailable)
        {
            error.Headers["Retry-After"] = retryAfter;
        }

        return error;
    }
}
