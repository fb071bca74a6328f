using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Docker;

/// <summary>The slice of the Docker Engine API the emulated daemon answers (enough for `docker version/info/ps`).</summary>
internal static partial class DockerEngineApi
{
    public const string EngineVersion = "27.5.1";
    public const string ApiVersion = "1.47";
    public const string MinApiVersion = "1.24";

    public static (int Status, string ContentType, string Body) Handle(string method, string target, DaemonIdentity host)
    {
        var path = target.Split('?', 2)[0];
        path = VersionPrefix().Replace(path, string.Empty);
        if (path.Length > 1)
        {
            path = path.TrimEnd('/');
        }

        return (method, path) switch
        {
            ("GET" or "HEAD", "/_ping") => (200, "text/plain; charset=utf-8", "OK"),
            ("GET" or "HEAD", "/version") => (200, "application/json", Version().ToJsonString()),
            ("GET" or "HEAD", "/info") => (200, "application/json", Info(host).ToJsonString()),
            ("GET" or "HEAD", "/containers/json") => (200, "application/json", "[]"),
            ("GET" or "HEAD", "/images/json") => (200, "application/json", "[]"),
            ("GET" or "HEAD", "/volumes") => (200, "application/json", """{"Volumes":[],"Warnings":null}"""),
            _ => (404, "application/json", """{"message":"page not found"}"""),
        };
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
        ["Warnings"] = new JsonArray(),
        ["Plugins"] = new JsonObject
        {
            ["Volume"] = new JsonArray("local"),
            ["Network"] = new JsonArray("bridge", "host", "ipvlan", "macvlan", "null", "overlay"),
            ["Log"] = new JsonArray("json-file", "local"),
        },
    };

    [GeneratedRegex(@"^/v\d+\.\d+(?=/)")]
    private static partial Regex VersionPrefix();
}
