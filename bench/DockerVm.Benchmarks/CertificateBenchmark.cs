using System.Net;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Benchmarks;

/// <summary>
/// Docker TLS certificate sets (CA + server + client, three fresh key pairs) per key algorithm, through the real
/// <see cref="DockerTlsCertificateAuthority"/>: latency of one set on one thread, and throughput with every core busy.
/// </summary>
internal static class CertificateBenchmark
{
    public static ResultTable Run(TimeSpan budget)
    {
        var authority = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);

        // JIT and the crypto provider's first-use cost stay out of the numbers.
        _ = authority.Issue(Request(CertificateKeyAlgorithm.EcdsaP256));

        var rows = new List<IReadOnlyList<string>>();
        foreach (var algorithm in Enum.GetValues<CertificateKeyAlgorithm>())
        {
            var request = Request(algorithm);
            // At least two sets even when one takes longer than the budget (RSA 4096 on a slow core).
            var single = Measure.Repeat(() => authority.Issue(request), budget, minIterations: 2);
            var parallel = Measure.RepeatInParallel(() => authority.Issue(request), budget, Environment.ProcessorCount);
            rows.Add(
            [
                algorithm.ToString(),
                Format.Integer(single.Samples.Count),
                Format.Milliseconds(single.CpuMillisecondsEach),
                Format.Milliseconds(single.Samples.Percentile(50)),
                Format.Milliseconds(single.Samples.Percentile(95)),
                Format.Rate(single.PerSecond),
                Format.Rate(parallel.PerSecond),
            ]);
        }

        return new ResultTable(
            "Docker TLS certificate sets (DockerTlsCertificateAuthority.Issue)",
            ["key algorithm", "sets (1 thread)", "CPU ms/set", "wall ms/set p50", "wall ms/set p95", "sets/s 1 thread", $"sets/s {Environment.ProcessorCount} threads"],
            rows,
            ["One set = per-VM CA + server certificate (SAN: FQDN + IP) + client certificate: three new key pairs, three signatures, PEM export.",
             "RSA cost is dominated by prime generation, so it varies run to run. CPU ms is process CPU time per set (unaffected by other load); wall times and rates are not."]);
    }

    private static DockerTlsIssueRequest Request(CertificateKeyAlgorithm algorithm) => new(
        "benchvm",
        ["benchvm.westeurope.cloudapp.azure.com"],
        [IPAddress.Parse("203.0.113.10")],
        algorithm,
        ProvisionRequestValidator.DefaultCertificateValidityDays);
}
