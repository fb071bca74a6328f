using System.CommandLine;
using Spectre.Console;

namespace DockerVm.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/DockerVm.Benchmarks -- [--only certs validation emulator workflow] [--vms 1000]`.
/// Prints numbers only; nothing here asserts on timing. Defaults finish in under two minutes on two cores.
/// </summary>
internal static class BenchmarkCommand
{
    public static RootCommand Create()
    {
        var only = new Option<BenchmarkKind[]>("--only")
        {
            Description = "Benchmarks to run (default: certs, validation, emulator, workflow); arm runs only when named.",
            AllowMultipleArgumentsPerToken = true,
        };
        var seconds = new Option<double>("--seconds")
        {
            Description = "Time budget per micro-benchmark case (certificates per algorithm, validation per request).",
            DefaultValueFactory = _ => 1,
        };
        var vms = new Option<int>("--vms") { Description = "VMs the emulator benchmark creates.", DefaultValueFactory = _ => 1000 };
        var parallelism = new Option<int>("--parallelism") { Description = "Concurrent VM creations.", DefaultValueFactory = _ => 32 };
        var pingSample = new Option<int>("--ping-sample") { Description = "Daemons the mTLS /_ping test connects to.", DefaultValueFactory = _ => 100 };
        var pings = new Option<int>("--pings-per-daemon") { Description = "/_ping requests per daemon after the first one.", DefaultValueFactory = _ => 10 };
        var orchestrations = new Option<int>("--orchestrations") { Description = "Orchestrations the workflow benchmark runs.", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Durable Task worker concurrency (orchestrations and activities).", DefaultValueFactory = _ => 100 };
        var hosts = new Option<int>("--hosts") { Description = "Docker hosts the arm benchmark provisions and deprovisions at once.", DefaultValueFactory = _ => 1 };
        var profile = new Option<ArmProfile>("--profile")
        {
            Description = "arm benchmark: azure (VM 90 s, extension 60 s, network 5 s, delete 10 s; Azure's settings) or local (./run.sh's durations and settings).",
            DefaultValueFactory = _ => ArmProfile.Azure,
        };
        var nicReservation = new Option<double>("--nic-reservation-seconds")
        {
            Description = "arm benchmark: how long a deleted VM's NIC stays reserved (Azure: 180; ./run.sh: 3).",
            DefaultValueFactory = _ => 3,
        };
        var markdown = new Option<bool>("--markdown") { Description = "Print Markdown tables (for the README) instead of console tables." };

        var root = new RootCommand("DockerVmFunctions benchmarks: certificate issuance, request validation, emulator capacity, orchestration throughput.")
        {
            only, seconds, vms, parallelism, pingSample, pings, orchestrations, concurrency, hosts, profile, nicReservation, markdown,
        };
        AtLeast(vms, 1);
        AtLeast(parallelism, 1);
        AtLeast(pingSample, 0);
        AtLeast(pings, 0);
        AtLeast(orchestrations, 1);
        AtLeast(concurrency, 1);
        AtLeast(hosts, 1);
        seconds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() <= 0)
            {
                result.AddError("--seconds must be positive.");
            }
        });
        root.SetAction(async (parse, cancellationToken) =>
        {
            var selected = parse.GetValue(only) is { Length: > 0 } chosen
                ? chosen.ToHashSet()
                : Enum.GetValues<BenchmarkKind>().Where(k => k != BenchmarkKind.Arm).ToHashSet();
            var budget = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var asMarkdown = parse.GetValue(markdown);
            var console = AnsiConsole.Console;
            var output = parse.InvocationConfiguration.Output;

            // Progress goes to stderr so that `--markdown > results.md` holds the tables only.
            var status = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Error) });
            void Progress(string message) => status.MarkupLineInterpolated($"[grey]{message}[/]");
            void Print(ResultTable table)
            {
                if (asMarkdown)
                {
                    output.WriteLine(Render.Markdown(table));
                }
                else
                {
                    console.Write(Render.Table(table));
                    console.WriteLine();
                }
            }

            Print(Render.Machine("Machine (before the run)"));
            if (selected.Contains(BenchmarkKind.Certs))
            {
                Progress("Issuing certificate sets...");
                Print(CertificateBenchmark.Run(budget));
            }

            if (selected.Contains(BenchmarkKind.Validation))
            {
                Progress("Validating requests...");
                Print(ValidationBenchmark.Run(budget));
            }

            if (selected.Contains(BenchmarkKind.Emulator))
            {
                Progress($"Starting the emulator and creating {parse.GetValue(vms)} VMs...");
                var tables = await EmulatorBenchmark.RunAsync(
                    new EmulatorBenchmarkOptions(parse.GetValue(vms), parse.GetValue(parallelism), parse.GetValue(pingSample), parse.GetValue(pings)),
                    Progress,
                    cancellationToken);
                foreach (var table in tables)
                {
                    Print(table);
                }
            }

            if (selected.Contains(BenchmarkKind.Workflow))
            {
                Print(await WorkflowBenchmark.RunAsync(new WorkflowBenchmarkOptions(parse.GetValue(orchestrations), parse.GetValue(concurrency)), Progress, cancellationToken));
            }

            if (selected.Contains(BenchmarkKind.Arm))
            {
                var tables = await ArmWorkflowBenchmark.RunAsync(
                    new ArmWorkflowBenchmarkOptions(parse.GetValue(hosts), parse.GetValue(profile), TimeSpan.FromSeconds(parse.GetValue(nicReservation))),
                    Progress,
                    cancellationToken);
                foreach (var table in tables)
                {
                    Print(table);
                }
            }

            Print(Render.Machine("Machine (after the run)"));
            return 0;
        });
        return root;
    }

    private static void AtLeast(Option<int> option, int minimum) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < minimum)
        {
            result.AddError($"{option.Name} must be at least {minimum}.");
        }
    });
}
