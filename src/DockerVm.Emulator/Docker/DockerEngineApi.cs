using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Docker;

/// <summary>The slice of the Docker Engine API the emulated daemon answers (enough for `docker version/info/ps`).</summary>
internal static partial class DockerEngineApi
{
    public const string EngineVersion = "27.5.1";
    public const string ApiVersion = "1.47";
    public const string MinApiVersion = "1.24";

    /// <summary>Go's http.NotFound body through moby's error handler (api/server/httputils), newline from json.Encoder.</summary>
    private const string PageNotFound = "{\"message\":\"page not found\"}\n";

    public static DockerApiResponse Handle(string method, string target, DaemonIdentity host)
    {
        var path = target.Split('?', 2)[0];
        path = VersionPrefix().Replace(path, string.Empty);

        // moby registers /_ping for GET and HEAD and everything else here for GET only (api/server/router/system);
        // an unmatched route gets the router's 404, which skips the version middleware: no Api-Version, Server, ...
        return (method, path) switch
        {
            ("GET", "/_ping") => new(200, Ping(), "OK", SniffedContentType: "text/plain; charset=utf-8"),
            ("HEAD", "/_ping") => new(200, Ping(head: true), string.Empty),
            ("GET", "/version") => Json(Version()),
            ("GET", "/info") => Json(Info(host)),
            ("GET", "/containers/json") => Json(new JsonArray()),
            ("GET", "/images/json") => Json(new JsonArray()),
            ("GET", "/volumes") => Json(new JsonObject { ["Volumes"] = new JsonArray(), ["Warnings"] = null }),
            _ => new(404, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, PageNotFound),
        };
    }

    /// <summary>The headers moby's version middleware adds to every routed answer (api/server/middleware/version.go).</summary>
    private static Dictionary<string, string> Routed() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Api-Version"] = ApiVersion,
        ["Docker-Experimental"] = "false",
        ["Ostype"] = "linux",
        ["Server"] = $"Docker/{EngineVersion} (linux)",
    };

    /// <summary>
    /// moby's pingHandler (api/server/router/system/system_routes.go): no-cache headers on /_ping only, and a HEAD sets
    /// Content-Type and Content-Length: 0 itself and writes no body.
    /// </summary>
    private static Dictionary<string, string> Ping(bool head = false)
    {
        var headers = Routed();
        headers["Cache-Control"] = "no-cache, no-store, must-revalidate";
        headers["Pragma"] = "no-cache";
        if (head)
        {
            headers["Content-Type"] = "text/plain; charset=utf-8";
            headers["Content-Length"] = "0";
        }

        return headers;
    }

    /// <summary>httputils.WriteJSON: Content-Type set by the handler, body from json.Encoder (ends in a newline).</summary>
    private static DockerApiResponse Json(JsonNode body)
    {
        var headers = Routed();
        headers["Content-Type"] = "application/json";
        return new(200, headers, body.ToJsonString() + "\n");
    }

    private static JsonObject Version() => new()
    {
        ["Platform"] = new JsonObject { ["Name"] = "Docker Engine - Community" },
        ["Components"] = new JsonArray(new JsonObject
        {
            ["Name"] = "Engine",
            ["Version"] = EngineVersion,
            ["Details"] = new JsonObject
            {
                ["ApiVersion"] = ApiVersion,
                ["Arch"] = "amd64",
                ["BuildTime"] = "2025-01-21T00:00:00.000000000+00:00",
                ["Experimental"] = "false",
                ["GitCommit"] = "4c9b3b0",
                ["GoVersion"] = "go1.22.11",
                ["KernelVersion"] = "6.8.0-1021-azure",
                ["MinAPIVersion"] = MinApiVersion,
                ["Os"] = "linux",
            },
        }),
        ["Version"] = EngineVersion,
        ["ApiVersion"] = ApiVersion,
        ["MinAPIVersion"] = MinApiVersion,
        ["GitCommit"] = "4c9b3b0",
        ["GoVersion"] = "go1.22.11",
        ["Os"] = "linux",
        ["Arch"] = "amd64",
        ["KernelVersion"] = "6.8.0-1021-azure",
        ["BuildTime"] = "2025-01-21T00:00:00.000000000+00:00",
    };

    private static JsonObject Info(DaemonIdentity host) => new()
    {
        ["ID"] = host.Id,
        ["Containers"] = 0,
        ["ContainersRunning"] = 0,
        ["ContainersPaused"] = 0,
        ["ContainersStopped"] = 0,
        ["Images"] = 0,
        ["Driver"] = "overlay2",
        ["DockerRootDir"] = "/var/lib/docker",
        ["Name"] = host.HostName,
        ["ServerVersion"] = EngineVersion,
        ["OperatingSystem"] = "Ubuntu 24.04.1 LTS",
        ["OSType"] = "linux",
        ["OSVersion"] = "24.04",
        ["Architecture"] = "x86_64",
        ["KernelVersion"] = "6.8.0-1021-azure",
        ["NCPU"] = 2,
        ["MemTotal"] = 8_324_866_048L,
        ["CgroupDriver"] = "systemd",
        ["CgroupVersion"] = "2",
        ["LoggingDriver"] = "json-file",
        ["SecurityOptions"] = new JsonArray("name=apparmor", "name=seccomp,profile=builtin", "name=cgroupns"),
        ["Labels"] = new JsonArray(),
        ["Plugins"] = new JsonObject
        {
            ["Volume"] = new JsonArray("local"),
            ["Network"] = new JsonArray("bridge", "host", "ipvlan", "macvlan", "null", "overlay"),
            ["Log"] = new JsonArray("json-file", "local"),
        },

        // Last, as in moby's system.Info; a daemon with nothing to warn about sends null, not [] (measured on dockerd 20.10).
        ["Warnings"] = null,
    };

    [GeneratedRegex(@"^/v\d+\.\d+(?=/)")]
    private static partial Regex VersionPrefix();
}
