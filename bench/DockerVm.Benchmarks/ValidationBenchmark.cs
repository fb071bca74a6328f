using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.Benchmarks;

/// <summary>Request validation (what every REST call, queue message and webhook pays before anything is scheduled).</summary>
internal static class ValidationBenchmark
{
    public static ResultTable Run(TimeSpan budget)
    {
        var callbacks = new CallbackOptions();
        callbacks.SigningKeys[CallbackOptions.DefaultSigningKeyName] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var validator = new ProvisionRequestValidator(Options.Create(callbacks), NullLogger<ProvisionRequestValidator>.Instance);

        var valid = new ProvisionDockerVmRequest
        {
            Name = "dockerhost1",
            ResourceGroup = "rg-docker",
            Location = "westeurope",
            VmSize = "Standard_D2s_v5",
            AdminUsername = "azureuser",
            SshPublicKey = Ed25519PublicKey(),
            AllowedSourceCidrs = ["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/48"],
            Tags = new Dictionary<string, string> { ["team"] = "platform", ["env"] = "bench" },
            Callback = new CallbackRequest { Url = new Uri("https://hooks.example.com/docker") },
            Certificates = new CertificateOptions { KeyAlgorithm = CertificateKeyAlgorithm.EcdsaP256, ValidityDays = 90 },
            IdempotencyKey = "order-4711",
        };

        // Typical mistakes at once: every one is reported, so this is the "collect all errors" path.
        var invalid = valid with
        {
            Name = "Docker_Host",
            AdminUsername = "root",
            SshPublicKey = "hunter2",
            AllowedSourceCidrs = ["0.0.0.0/0", "10.0.0.1/8"],
            DockerPort = 22,
            DaemonOptions = ["--tls=false"],
        };

        var validErrors = validator.Validate(valid);
        var invalidErrors = validator.Validate(invalid);
        if (!validErrors.IsValid || invalidErrors.IsValid)
        {
            throw new InvalidOperationException("The benchmark requests no longer validate as intended: "
                + string.Join("; ", validErrors.Errors.Select(e => $"{e.Field} {e.Rule}")));
        }

        return new ResultTable(
            "Request validation (ProvisionRequestValidator.Validate)",
            ["request", "errors", "validations/s", "CPU µs/validation", "wall µs p50", "wall µs p99", "bytes allocated/validation"],
            [Row("valid (defaults applied)", valid, validator, budget), Row("invalid", invalid, validator, budget)],
            ["One thread. Includes SSH public key parsing, CIDR checks and the callback URL policy; no I/O."]);
    }

    private static IReadOnlyList<string> Row(string label, ProvisionDockerVmRequest request, ProvisionRequestValidator validator, TimeSpan budget)
    {
        var errors = validator.Validate(request).Errors.Count;
        // Long enough for tiered JIT to finish optimising the hot path in the background before measuring.
        _ = Measure.Repeat(() => validator.Validate(request), TimeSpan.FromMilliseconds(500));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var run = Measure.Repeat(() => validator.Validate(request), budget, minIterations: 1000);
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / run.Samples.Count;
        return
        [
            label,
            errors.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Format.Rate(run.PerSecond),
            Format.Microseconds(run.CpuMillisecondsEach),
            Format.Microseconds(run.Samples.Percentile(50)),
            Format.Microseconds(run.Samples.Percentile(99)),
            Format.Integer(allocated),
        ];
    }

    /// <summary>An OpenSSH <c>ssh-ed25519</c> public key line (wire format per RFC 8709) from random key bytes.</summary>
    internal static string Ed25519PublicKey()
    {
        static byte[] Str(byte[] value)
        {
            var buffer = new byte[4 + value.Length];
            BinaryPrimitives.WriteInt32BigEndian(buffer, value.Length);
            value.CopyTo(buffer, 4);
            return buffer;
        }

        byte[] blob = [.. Str(Encoding.ASCII.GetBytes("ssh-ed25519")), .. Str(RandomNumberGenerator.GetBytes(32))];
        return $"ssh-ed25519 {Convert.ToBase64String(blob)} bench@dockervm";
    }
}
