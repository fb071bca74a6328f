using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Benchmarks;

/// <summary>
/// Capacity of the in-process emulator as the product's clients see it: N Linux VMs, each with its own NSG, Standard
/// public IP, VNet and NIC (generic resources, as the workflow creates them) and the Docker extension carrying a fresh
/// certificate set, all through the real Azure SDK (ArmClient, Compute 1.2.0) over HTTPS that trusts exactly the
/// emulator's certificate, authenticated by the managed-identity credential against the emulator's token endpoint.
/// Then memory, running daemons, and mutual-TLS <c>/_ping</c> latency against a sample of the daemons.
/// </summary>
internal static class EmulatorBenchmark
{
    private const string ResourceGroupName = "rg-bench";
    private const string Location = "westeurope";
    private const string NetworkApiVersion = "2024-05-01";
    private const int DockerPort = ProvisionRequestValidator.DefaultDockerPort;
    private const string PublicIpRangeStart = "127.201.0.1";

    private static readonly string[] VnetAddressSpace = ["10.0.0.0/16"];

    private static readonly string[] CallerCidrs = ["203.0.113.0/24"];

    private static readonly string[] NetworkTypes =
    [
        "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/publicIPAddresses",
        "Microsoft.Network/virtualNetworks", "Microsoft.Network/networkInterfaces",
    ];

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(EmulatorBenchmarkOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        Measure.SettleMemory();
        var beforeStart = MemorySnapshot.Take();

        // Every emulator hands out 127.0.1.1 upwards by default: a range of our own keeps the daemons clear of any other
        // emulator on the machine (tests, ./run.sh), whose daemons would already hold 127.0.1.x:2376.
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { Port = 0, PublicIpRangeStart = PublicIpRangeStart }, cancellationToken);

        // Exactly what production code does with IDENTITY_ENDPOINT/IDENTITY_HEADER (App Service style managed identity).
        foreach (var (name, value) in emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        using var handler = PinnedCertificateHandler.Create(emulator.CertificatePath);
        using var http = new HttpClient(handler, disposeHandler: false);
        var transport = new HttpClientTransport(http);
        var credential = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned) { Transport = transport });
        var armOptions = new ArmClientOptions { Environment = new ArmEnvironment(emulator.ArmEndpoint, emulator.ArmAudience), Transport = transport };
        foreach (var type in NetworkTypes)
        {
            armOptions.SetApiVersion(new ResourceType(type), NetworkApiVersion);
        }

        var arm = new ArmClient(credential, emulator.SubscriptionId, armOptions);
        var authority = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);
        var subscription = arm.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(emulator.SubscriptionId));
        var group = (await subscription.GetResourceGroups().CreateOrUpdateAsync(
            WaitUntil.Completed, ResourceGroupName, new ResourceGroupData(new AzureLocation(Location)), cancellationToken)).Value;

        // One VM before measuring: token acquisition, connection set-up and JIT are not per-VM costs.
        _ = await new VmCreator(arm, group, authority, emulator.SubscriptionId).CreateAsync("benchwarmup", keepMaterial: false, cancellationToken);
        var creator = new VmCreator(arm, group, authority, emulator.SubscriptionId);
        Measure.SettleMemory();
        var afterStart = MemorySnapshot.Take();
        var requestsBefore = emulator.Control.OperationCounters.Values.Sum();

        var sampleEvery = Math.Max(1, options.Vms / Math.Max(1, options.PingSample));
        var created = new CreatedVm?[options.Vms];
        var perVm = new TimeSpan[options.Vms];
        var done = 0;
        var failed = 0;
        string? firstError = null;
        var cpuBefore = Measure.ProcessCpu();
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Vms),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var began = Stopwatch.GetTimestamp();
                try
                {
                    // Only sampled VMs keep their client key pair (for the ping test), so the heap reading stays the emulator's.
                    created[i] = await creator.CreateAsync($"benchvm{i:D5}", keepMaterial: i % sampleEvery == 0, ct);
                    perVm[i] = Stopwatch.GetElapsedTime(began);
                }
                catch (RequestFailedException ex)
                {
                    // Counted and reported, not fatal: a capacity run should say where it broke, not stop at the first error.
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, $"{ex.ErrorCode}: {ex.Message.Split('\n')[0]}", null);
                }

                var count = Interlocked.Increment(ref done);
                if (count % Math.Max(1, options.Vms / 10) == 0)
                {
                    progress($"{count}/{options.Vms} VMs created ({Stopwatch.GetElapsedTime(start).TotalSeconds:N1} s)");
                }
            });
        var elapsed = Stopwatch.GetElapsedTime(start);
        var cpu = Measure.ProcessCpu() - cpuBefore;
        var requests = emulator.Control.OperationCounters.Values.Sum() - requestsBefore;
        var running = emulator.Control.RunningDockerDaemons;

        Measure.SettleMemory();
        var afterVms = MemorySnapshot.Take();

        var latency = new Samples();
        foreach (var vm in perVm.Where(t => t > TimeSpan.Zero))
        {
            latency.Add(vm);
        }

        progress("Pinging a sample of the daemons over mutual TLS...");
        var (cold, warm, failures, pinged) = await PingAsync(created.OfType<CreatedVm>().Where(v => v.ClientKeyPem is not null).Take(options.PingSample).ToList(), options.PingsPerDaemon, cancellationToken);

        var creation = new ResultTable(
            $"Emulator capacity: {options.Vms:N0} VMs with the Docker extension through the Azure SDK",
            ["measure", "value"],
            [
                ["VMs requested (parallelism " + options.Parallelism + ")", Format.Integer(options.Vms)],
                ["VMs failed", failed == 0 ? "0" : $"{failed:N0} (first: {firstError})"],
                ["wall time s", Format.Seconds(elapsed)],
                ["VMs/s (NSG + IP + VNet + NIC + cert set + VM + extension each)", Format.Rate((options.Vms - failed) / elapsed.TotalSeconds)],
                ["process CPU ms per VM (emulator + SDK clients + certificates)", Format.Milliseconds(cpu.TotalMilliseconds / options.Vms)],
                ["HTTP requests served (PUTs, LRO polls, GETs)", Format.Integer(requests)],
                ["requests/s", Format.Rate(requests / elapsed.TotalSeconds)],
                [$"ms per VM p50 / p95 (6 ARM PUTs + their polls, {options.Parallelism} VMs in flight)", $"{Format.Milliseconds(latency.Percentile(50))} / {Format.Milliseconds(latency.Percentile(95))}"],
                ["  of which network PUTs, mean ms", Format.Milliseconds(creator.Network.Mean)],
                ["  of which certificate set (ECDSA P-256), mean ms", Format.Milliseconds(creator.Certificates.Mean)],
                ["  of which VM PUT to Succeeded, mean ms", Format.Milliseconds(creator.VirtualMachine.Mean)],
                ["  of which extension PUT to Succeeded, mean ms", Format.Milliseconds(creator.Extension.Mean)],
                ["Docker daemons running (incl. the warm-up VM)", Format.Integer(running)],
            ],
            ["LRO durations zero (operations finish on their first poll), throttling off: this measures the emulator and SDK, not simulated Azure waits.",
             "The SDK's 'first poll immediate, then Retry-After (1 s)' rule still applies; an operation that is not done on the first poll costs one second."]);

        var memory = new ResultTable(
            "Emulator memory (in-process: the benchmark's own process, after a full compacting GC)",
            ["point", "working set MB", "private MB", "managed heap MB"],
            [
                beforeStart.Row("before the emulator started"),
                afterStart.Row("emulator + SDK clients, 1 VM"),
                afterVms.Row($"after {options.Vms:N0} VMs + daemons"),
                ["per VM (delta)", PerVm(afterVms.WorkingSet - afterStart.WorkingSet, options.Vms), PerVm(afterVms.Private - afterStart.Private, options.Vms), PerVm(afterVms.ManagedHeap - afterStart.ManagedHeap, options.Vms)],
            ],
            [$"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, concurrent {System.Runtime.GCSettings.LatencyMode}. The emulator keeps every resource document, operation record and one TLS listener per daemon."]);

        var ping = new ResultTable(
            "Mutual-TLS Docker /_ping against emulated daemons",
            ["measure", "daemons", "requests", "ms p50", "ms p95", "failures"],
            [
                ["first request (TCP + TLS 1.3 handshake with client cert + /_ping)", Format.Integer(pinged), Format.Integer(cold.Count), Format.Milliseconds(cold.Percentile(50)), Format.Milliseconds(cold.Percentile(95)), Format.Integer(failures)],
                ["next requests on the open connection", Format.Integer(pinged), Format.Integer(warm.Count), Format.Milliseconds(warm.Percentile(50)), Format.Milliseconds(warm.Percentile(95)), "–"],
            ],
            ["The client trusts only the VM's own CA and requires the FQDN in the server certificate (like the verify activity); connects to the VM's public IP (loopback; this benchmark allocates from 127.201.0.1 upwards)."]);

        return [creation, memory, ping];
    }

    private static string PerVm(long bytes, int vms) => (bytes / 1024.0 / vms).ToString("N1", System.Globalization.CultureInfo.InvariantCulture) + " KB";

    private static async Task<(Samples Cold, Samples Warm, int Failures, int Daemons)> PingAsync(IReadOnlyList<CreatedVm> vms, int pingsPerDaemon, CancellationToken cancellationToken)
    {
        var cold = new Samples();
        var warm = new Samples();
        var failures = 0;
        // One at a time: this is latency, not load.
        foreach (var vm in vms)
        {
            using var ca = X509Certificate2.CreateFromPem(vm.CaPem);
            using var client = X509Certificate2.CreateFromPem(vm.ClientCertificatePem!, vm.ClientKeyPem!);
            // Connects to the public IP (the FQDN does not resolve locally) while TLS targets the FQDN.
            using var http = DockerTlsClient.Create(new IPEndPoint(IPAddress.Parse(vm.PublicIp), DockerPort), vm.Fqdn, ca, client, TimeSpan.FromSeconds(10));
            try
            {
                cold.Add(await TimedPingAsync(http, cancellationToken));
                for (var i = 0; i < pingsPerDaemon; i++)
                {
                    warm.Add(await TimedPingAsync(http, cancellationToken));
                }
            }
            catch (HttpRequestException)
            {
                failures++;
            }
        }

        return (cold, warm, failures, vms.Count);
    }

    private static async Task<TimeSpan> TimedPingAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var body = await http.GetStringAsync(new Uri("_ping", UriKind.Relative), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return body.Trim() == "OK" ? elapsed : throw new HttpRequestException($"/_ping answered '{body}'");
    }

    private sealed record CreatedVm(string Name, string PublicIp, string Fqdn, string CaPem, string? ClientCertificatePem, string? ClientKeyPem);

    /// <summary>Creates one VM the way the workflow does (same resource shapes), timing each phase.</summary>
    private sealed class VmCreator(ArmClient arm, ResourceGroupResource group, DockerTlsCertificateAuthority authority, string subscriptionId)
    {
        private readonly Lock gate = new();
        private readonly string sshKey = ValidationBenchmark.Ed25519PublicKey();

        public Samples Network { get; } = new();

        public Samples Certificates { get; } = new();

        public Samples VirtualMachine { get; } = new();

        public Samples Extension { get; } = new();

        public async Task<CreatedVm> CreateAsync(string name, bool keepMaterial, CancellationToken cancellationToken)
        {
            var names = new DockerVmResourceNames(ResourceGroupName, name);
            var tags = new Dictionary<string, string> { ["purpose"] = "benchmark" };

            var phase = Stopwatch.GetTimestamp();
            var nsg = await PutNetworkAsync(
                "networkSecurityGroups", names.NetworkSecurityGroup, tags, CreateNetworkSecurityGroup.BuildProperties(CallerCidrs, DockerPort), sku: null, cancellationToken);
            var ip = await PutNetworkAsync("publicIPAddresses", names.PublicIpAddress, tags, new
            {
                publicIPAllocationMethod = "Static",
                publicIPAddressVersion = "IPv4",
                dnsSettings = new { domainNameLabel = names.DnsLabel },
            }, sku: "Standard", cancellationToken);
            var (address, fqdn) = ReadAddress(ip);
            var vnet = await PutNetworkAsync("virtualNetworks", names.VirtualNetwork, tags, new
            {
                addressSpace = new { addressPrefixes = VnetAddressSpace },
                subnets = new[] { new { name = DockerVmResourceNames.Subnet, properties = new { addressPrefix = "10.0.0.0/24" } } },
            }, sku: null, cancellationToken);
            var nic = await PutNetworkAsync("networkInterfaces", names.NetworkInterface, tags, new
            {
                ipConfigurations = new[]
                {
                    new
                    {
                        name = "ipconfig1",
                        properties = new
                        {
                            privateIPAllocationMethod = "Dynamic",
                            subnet = new { id = $"{vnet.Id}/subnets/{DockerVmResourceNames.Subnet}" },
                            publicIPAddress = new { id = ip.Id.ToString() },
                        },
                    },
                },
                networkSecurityGroup = new { id = nsg.Id.ToString() },
            }, sku: null, cancellationToken);
            Record(Network, phase);

            phase = Stopwatch.GetTimestamp();
            var certificates = authority.Issue(new DockerTlsIssueRequest(
                name, [fqdn], [IPAddress.Parse(address)], CertificateKeyAlgorithm.EcdsaP256, ProvisionRequestValidator.DefaultCertificateValidityDays));
            Record(Certificates, phase);

            phase = Stopwatch.GetTimestamp();
            var vmData = StartVirtualMachineCreation.BuildData(new StartVirtualMachineCreationInput(
                ResourceGroupName, Location, name, VirtualMachineSizeType.StandardD2SV3.ToString(), ProvisionRequestValidator.DefaultImage,
                "azureuser", sshKey, nic.Id.ToString(), names.OsDisk, tags));
            var vm = (await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, name, vmData, cancellationToken)).Value;
            Record(VirtualMachine, phase);

            phase = Stopwatch.GetTimestamp();
            var extension = new VirtualMachineExtensionData(new AzureLocation(Location))
            {
                Publisher = DockerInstallMaterial.DockerExtensionPublisher,
                ExtensionType = DockerInstallMaterial.DockerExtensionType,
                TypeHandlerVersion = DockerInstallMaterial.DockerExtensionVersion,
                AutoUpgradeMinorVersion = true,
                Settings = DockerInstallMaterial.DockerExtensionSettings(DockerPort, ProvisionRequestValidator.DefaultDaemonOptions, "AzureCloud"),
                ProtectedSettings = DockerInstallMaterial.DockerExtensionProtectedSettings(
                    certificates.CaCertificatePem, certificates.ServerCertificatePem, certificates.ServerKeyPem),
            };
            await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, DockerVmResourceNames.DockerExtension, extension, cancellationToken);
            Record(Extension, phase);

            return new CreatedVm(
                name,
                address,
                fqdn,
                certificates.CaCertificatePem,
                keepMaterial ? certificates.ClientCertificatePem : null,
                keepMaterial ? certificates.ClientKeyPem : null);
        }

        private void Record(Samples samples, long start)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            lock (gate)
            {
                samples.Add(elapsed);
            }
        }

        private async Task<GenericResource> PutNetworkAsync(
            string type, string name, IReadOnlyDictionary<string, string> tags, object properties, string? sku, CancellationToken cancellationToken)
        {
            var id = new ResourceIdentifier($"/subscriptions/{subscriptionId}/resourceGroups/{ResourceGroupName}/providers/Microsoft.Network/{type}/{name}");
            var data = new GenericResourceData(new AzureLocation(Location))
            {
                Properties = BinaryData.FromObjectAsJson(properties),
                Sku = sku is null ? null : new ResourcesSku { Name = sku, Tier = "Regional" },
            };
            foreach (var (key, value) in tags)
            {
                data.Tags[key] = value;
            }

            return (await arm.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, id, data, cancellationToken)).Value;
        }

        private static (string Address, string Fqdn) ReadAddress(GenericResource ip)
        {
            using var json = JsonDocument.Parse(ip.Data.Properties.ToString());
            var root = json.RootElement;
            var address = root.GetProperty("ipAddress").GetString();
            var fqdn = root.GetProperty("dnsSettings").GetProperty("fqdn").GetString();
            return string.IsNullOrEmpty(address) || string.IsNullOrEmpty(fqdn)
                ? throw new InvalidOperationException($"Public IP {ip.Id} has no address or FQDN.")
                : (address, fqdn);
        }
    }

    private sealed record MemorySnapshot(long WorkingSet, long Private, long ManagedHeap)
    {
        public static MemorySnapshot Take()
        {
            using var process = Process.GetCurrentProcess();
            return new MemorySnapshot(process.WorkingSet64, process.PrivateMemorySize64, GC.GetTotalMemory(forceFullCollection: false));
        }

        public IReadOnlyList<string> Row(string label) =>
            [label, Format.Megabytes(WorkingSet), Format.Megabytes(Private), Format.Megabytes(ManagedHeap)];
    }
}
