using System.Diagnostics;
using System.Globalization;
using Azure;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DockerVm.Emulator.Tests.Benchmarks;

/// <summary>
/// Measures (prints, never asserts timing) how many VMs with running Docker daemons the emulator holds, created through
/// the real SDKs, and what that costs. EMULATOR_BENCH_VMS overrides the count (default 200; the README quotes a 1,000 run).
/// </summary>
public sealed class ScaleBenchmarkTests(ITestOutputHelper output)
{
    private static readonly string[] AddressSpace = ["10.0.0.0/16"];

    [Fact]
    public async Task ManyVmsWithDaemons_ThroughSdk_AllAnswerMutualTlsPing()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("EMULATOR_BENCH_VMS"), CultureInfo.InvariantCulture, out var n) ? n : 200;
        await using var emulator = await AzureEmulator.StartAsync();
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-bench");
        var vnet = Scenario.Id(group, "Microsoft.Network/virtualNetworks", "vnet");
        await Scenario.PutAsync(arm, vnet, new { addressSpace = new { addressPrefixes = AddressSpace }, subnets = new[] { new { name = "default", properties = new { addressPrefix = "10.0.0.0/20" } } } });

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Environment.WorkingSet;
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var stopwatch = Stopwatch.StartNew();
        var hosts = new (string Address, DockerCertificates Certificates)[count];

        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            var name = $"b{i:D4}";
            var ipId = Scenario.Id(group, "Microsoft.Network/publicIPAddresses", $"{name}-ip");
            var ip = await Scenario.PutAsync(arm, ipId, new { publicIPAllocationMethod = "Static", dnsSettings = new { domainNameLabel = $"bench-{name}" } }, "Standard");
            var address = (string)ip.Data.Properties.ToObjectFromJson<System.Text.Json.Nodes.JsonObject>()!["ipAddress"]!;
            var nicId = Scenario.Id(group, "Microsoft.Network/networkInterfaces", $"{name}-nic");
            await Scenario.PutAsync(arm, nicId, new
            {
                ipConfigurations = new[] { new { name = "ipconfig1", properties = new { subnet = new { id = $"{vnet}/subnets/default" }, publicIPAddress = new { id = ipId.ToString() } } } },
            });
            var vm = await Scenario.VmAsync(group, $"vm-{name}", nicId);
            var certificates = TestPki.Issue(address);
            await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.DockerExtension(certificates), cancellationToken);
            hosts[i] = (address, certificates);
        });
        var created = stopwatch.Elapsed;

        stopwatch.Restart();
        var pinged = 0;
        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (host, cancellationToken) =>
        {
            using var docker = DockerProbe.Client(host.Address, 2376, host.Certificates.Authority(), host.Certificates.ClientCertificate());
            if (await docker.GetStringAsync(new Uri("_ping", UriKind.Relative), cancellationToken) == "OK")
            {
                Interlocked.Increment(ref pinged);
            }
        });
        var pingTime = stopwatch.Elapsed;

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var requests = emulator.Control.OperationCounters.Values.Sum();
        output.WriteLine($"VMs created (PIP + NIC + VM + DockerExtension via SDK, 16 in parallel): {count} in {created.TotalSeconds:F1} s ({count / created.TotalSeconds:F1} VMs/s)");
        output.WriteLine($"Emulator requests served: {requests} ({requests / created.TotalSeconds:F0} req/s)");
        output.WriteLine($"Running emulated Docker daemons: {emulator.Control.RunningDockerDaemons}; mTLS /_ping OK: {pinged} in {pingTime.TotalSeconds:F1} s");
        output.WriteLine($"Managed heap growth (emulator + test-side clients, after full GC): {(heapAfter - heapBefore) / 1024.0 / 1024.0:F1} MiB ({(heapAfter - heapBefore) / count / 1024.0:F1} KiB per VM)");
        output.WriteLine($"Process working set: {workingSetBefore / 1024 / 1024} MiB -> {Environment.WorkingSet / 1024 / 1024} MiB; threads: {threadsBefore} -> {Process.GetCurrentProcess().Threads.Count}");
        var served = emulator.Control.RequestLog;
        output.WriteLine($"Server-side time per request (last {served.Count}): mean {served.Average(e => e.DurationMs):F2} ms, p99 {Percentile(served, 0.99):F2} ms");
        foreach (var operation in served.GroupBy(e => e.Operation).OrderByDescending(g => g.Count()).Take(8))
        {
            output.WriteLine($"  {operation.Key}: {emulator.Control.OperationCounters[operation.Key]} requests, mean {operation.Average(e => e.DurationMs):F2} ms");
        }

        Assert.Equal(count, emulator.Control.RunningDockerDaemons);
        Assert.Equal(count, pinged);
    }

    private static double Percentile(IReadOnlyList<DockerVm.Emulator.Faults.RequestLogEntry> entries, double quantile)
    {
        var sorted = entries.Select(e => e.DurationMs).Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * quantile))];
    }
}
