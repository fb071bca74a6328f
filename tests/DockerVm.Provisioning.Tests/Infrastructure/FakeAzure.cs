using System.Collections.Concurrent;
using DockerVm.Provisioning.Activities.Callbacks;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Activities.Telemetry;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Provisioning.Tests.Infrastructure;

/// <summary>
/// Fake activities registered under the real activities' names, over an in-memory picture of a subscription and a
/// vault. They behave like the real ones (ids, idempotent PUTs, 404-tolerant deletes, PEM secrets issued by the real
/// CA and read back by the installer step) so orchestrations run unchanged. Faults are queued per activity name.
/// </summary>
internal sealed class FakeAzure
{
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000001";
    public const string VaultUri = "https://fake-vault.vault.azure.net";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Exception>> faults = new();
    private readonly object gate = new();
    private readonly ConcurrentDictionary<string, string> fqdns = new(StringComparer.Ordinal);

    public IDockerTlsCertificateAuthority? Authority { get; init; }

    /// <summary>A fake whose certificate step issues real PEM with the product's CA.</summary>
    public static FakeAzure WithRealCertificateAuthority() => new()
    {
        Authority = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance),
    };

    /// <summary>Every activity invocation, in order (name only).</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Resources that exist now, in creation order.</summary>
    public List<string> Resources { get; } = [];

    /// <summary>Resources created by the workflow, in order.</summary>
    public List<string> Created { get; } = [];

    /// <summary>Delete requests, in order.</summary>
    public List<string> Deleted { get; } = [];

    public ConcurrentDictionary<string, FakeSecret> Secrets { get; } = new();

    public ConcurrentQueue<string> ProtectedSettings { get; } = new();

    public ConcurrentQueue<SendCallbackInput> Callbacks { get; } = new();

    /// <summary>Outcomes the orchestrator asked <see cref="RecordProvisioningOutcome"/> to count.</summary>
    public ConcurrentQueue<RecordProvisioningOutcomeInput> Outcomes { get; } = new();

    /// <summary>States returned by successive VM polls; once empty, <c>Succeeded</c>.</summary>
    public ConcurrentQueue<ArmOperationState> VmStates { get; } = new();

    public ConcurrentQueue<ArmOperationState> ExtensionStates { get; } = new();

    /// <summary>How many NIC deletes Azure refuses with NicReservedForAnotherVm (the NIC is still reserved for its deleted VM).</summary>
    public int NicReservedAnswers { get; set; }

    /// <summary>Checks of the VM's creation so far.</summary>
    public int VmChecks { get; private set; }

    /// <summary>Checks of an extension's operation so far.</summary>
    public int ExtensionChecks { get; private set; }

    /// <summary>When true, VM polls say <c>Creating</c> forever.</summary>
    public bool VmNeverReady { get; set; }

    public CallbackAttemptResult CallbackResult { get; set; } = new(true, 1, 200, null);

    /// <summary>Answers of the first callback attempts, in order; <see cref="CallbackResult"/> once empty.</summary>
    public ConcurrentQueue<CallbackAttemptResult> CallbackResults { get; } = new();

    /// <summary>The next <paramref name="count"/> calls of <paramref name="activity"/> throw <paramref name="exception"/>.</summary>
    public void Fail(string activity, Exception exception, int count = 1)
    {
        var queue = faults.GetOrAdd(activity, _ => new ConcurrentQueue<Exception>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(exception);
        }
    }

    public int CallCount(string activity) => Calls.Count(c => c == activity);

    public void Register(DurableTaskRegistry registry)
    {
        Add<CreateNetworkSecurityGroupInput, CreateNetworkSecurityGroupOutput>(registry, nameof(CreateNetworkSecurityGroup), input =>
        {
            var id = Put($"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/networkSecurityGroups/{input.Name}");
            return new CreateNetworkSecurityGroupOutput(id, Started(id));
        });
        Add<CreatePublicIpAddressInput, CreatePublicIpAddressOutput>(registry, nameof(CreatePublicIpAddress), input =>
        {
            var id = Put($"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/publicIPAddresses/{input.Name}");
            fqdns[id] = $"{input.DnsLabel}.{input.Location}.cloudapp.azure.com";
            return new CreatePublicIpAddressOutput(id, Started(id));
        });
        Add<GetPublicIpAddressInput, GetPublicIpAddressOutput>(registry, nameof(GetPublicIpAddress), input =>
            new GetPublicIpAddressOutput(new ArmOperationState("Succeeded", null, null), "127.0.1.10", fqdns[input.ResourceId]));
        Add<CreateVirtualNetworkInput, CreateVirtualNetworkOutput>(registry, nameof(CreateVirtualNetwork), input =>
        {
            var id = Put($"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/virtualNetworks/{input.Name}");
            return new CreateVirtualNetworkOutput(id, id + "/subnets/default", Started(id));
        });
        Add<CreateNetworkInterfaceInput, CreateNetworkInterfaceOutput>(registry, nameof(CreateNetworkInterface), input =>
        {
            var id = Put($"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/networkInterfaces/{input.Name}");
            return new CreateNetworkInterfaceOutput(id, Started(id));
        });
        Add<IssueDockerCertificatesInput, DockerSecretIdentifiers>(registry, nameof(IssueDockerCertificates), IssueCertificates);
        Add<StartVirtualMachineCreationInput, StartVirtualMachineCreationOutput>(registry, nameof(StartVirtualMachineCreation), input =>
        {
            var id = Put($"{Rg(input.ResourceGroup)}/providers/Microsoft.Compute/virtualMachines/{input.Name}");
            return new StartVirtualMachineCreationOutput(id, Started(id));
        });
        Add<ArmOperationHandle, ArmOperationState>(registry, nameof(GetArmOperationStatus), CheckOperation);
        Add<StartDockerInstallationInput, StartDockerInstallationOutput>(registry, nameof(StartDockerInstallation), StartInstallation);
        Add<StartDockerVerificationInput, StartDockerInstallationOutput>(registry, nameof(StartDockerVerification), input =>
        {
            // Like the real step: the client pair must be readable from the vault by identifier.
            _ = ReadSecret(input.Secrets.ClientKey);
            var id = input.VmResourceId + "/extensions/docker-verify";
            return new StartDockerInstallationOutput(id, Started(id));
        });
        Add<VerifyDockerEndpointInput, VerifyDockerEndpointOutput>(registry, nameof(VerifyDockerEndpoint), _ => new VerifyDockerEndpointOutput("27.5.1", "1.47"));
        Add<SendCallbackInput, CallbackAttemptResult>(registry, nameof(SendCallback), input =>
        {
            Callbacks.Enqueue(input);
            return CallbackResults.TryDequeue(out var result) ? result : CallbackResult;
        });
        Add<RecordProvisioningOutcomeInput, bool>(registry, nameof(RecordProvisioningOutcome), input =>
        {
            Outcomes.Enqueue(input);
            return true;
        });
        Add<DeleteResourceInput, DeleteResourceOutput>(registry, nameof(DeleteResource), input =>
        {
            lock (gate)
            {
                if (NicReservedAnswers > 0 && input.ResourceId.Contains("/networkInterfaces/", StringComparison.OrdinalIgnoreCase) && Resources.Contains(input.ResourceId))
                {
                    NicReservedAnswers--;
                    return new DeleteResourceOutput(AlreadyGone: false, ReservedMessage: "Nic(s) in request is reserved for another Virtual Machine for 180 seconds.");
                }

                Deleted.Add(input.ResourceId);
                return Resources.Remove(input.ResourceId)
                    ? new DeleteResourceOutput(AlreadyGone: false, Operation: Started(input.ResourceId) with { IsDelete = true })
                    : new DeleteResourceOutput(AlreadyGone: true);
            }
        });
        Add<DeleteDockerSecretsInput, DeleteDockerSecretsOutput>(registry, nameof(DeleteDockerSecrets), input =>
        {
            var deleted = input.SecretNames.Where(n => Secrets.TryRemove(n, out _)).ToList();
            return new DeleteDockerSecretsOutput(deleted, deleted);
        });
    }

    private void Add<TIn, TOut>(DurableTaskRegistry registry, string name, Func<TIn, TOut> behaviour)
    {
        registry.AddActivityFunc<TIn, TOut>(name, (TaskActivityContext _, TIn input) =>
        {
            Calls.Enqueue(name);
            if (faults.TryGetValue(name, out var queue) && queue.TryDequeue(out var fault))
            {
                throw fault;
            }

            return behaviour(input);
        });
    }

    private static string Rg(string resourceGroup) => $"/subscriptions/{SubscriptionId}/resourceGroups/{resourceGroup}";

    /// <summary>What a real start activity returns: an operation to follow, as ARM's 201/202 describes it.</summary>
    private static ArmOperationHandle Started(string resourceId) =>
        new(resourceId, $"https://fake-arm.example/operations/{Guid.NewGuid():N}", null, null, Done: false);

    /// <summary>The VM's checks answer <see cref="VmStates"/>, the extensions' <see cref="ExtensionStates"/>; deletions
    /// are done once the resource is gone (the fake deletes at once), everything else at the first check.</summary>
    private ArmOperationState CheckOperation(ArmOperationHandle operation)
    {
        if (operation.IsDelete)
        {
            lock (gate)
            {
                return new ArmOperationState(Resources.Contains(operation.ResourceId) ? "Deleting" : "Succeeded", null, null);
            }
        }

        if (operation.ResourceId.Contains("/extensions/", StringComparison.OrdinalIgnoreCase))
        {
            ExtensionChecks++;
            return ExtensionStates.TryDequeue(out var state) ? state : new ArmOperationState("Succeeded", null, null);
        }

        if (operation.ResourceId.Contains("/virtualMachines/", StringComparison.OrdinalIgnoreCase))
        {
            VmChecks++;
            return VmNeverReady ? new ArmOperationState("Creating", null, null)
                : VmStates.TryDequeue(out var state) ? state : new ArmOperationState("Succeeded", null, null);
        }

        return new ArmOperationState("Succeeded", null, null);
    }

    private string Put(string id)
    {
        lock (gate)
        {
            if (!Resources.Contains(id))
            {
                Resources.Add(id);
                Created.Add(id);
            }

            return id;
        }
    }

    private DockerSecretIdentifiers IssueCertificates(IssueDockerCertificatesInput input)
    {
        var authority = Authority ?? throw new InvalidOperationException("No CA configured for the fake.");
        var set = authority.Issue(new DockerTlsIssueRequest(
            input.Names.VmName, [input.Fqdn], [System.Net.IPAddress.Parse(input.PublicIpAddress)], input.KeyAlgorithm, input.ValidityDays));
        var names = input.Names;
        return new DockerSecretIdentifiers(
            Store(names.CaCertificateSecret, set.CaCertificatePem),
            Store(names.ServerCertificateSecret, set.ServerCertificatePem),
            Store(names.ServerKeySecret, set.ServerKeyPem),
            Store(names.ClientCertificateSecret, set.ClientCertificatePem),
            Store(names.ClientKeySecret, set.ClientKeyPem));
    }

    private Uri Store(string name, string value)
    {
        var id = new Uri($"{VaultUri}/secrets/{name}/{Guid.NewGuid():N}");
        Secrets[name] = new FakeSecret(id, value);
        return id;
    }

    private string ReadSecret(Uri id) =>
        Secrets.Values.FirstOrDefault(s => s.Id == id)?.Value ?? throw new InvalidOperationException($"No secret {id}.");

    private StartDockerInstallationOutput StartInstallation(StartDockerInstallationInput input)
    {
        var ca = ReadSecret(input.Secrets.CaCertificate);
        var cert = ReadSecret(input.Secrets.ServerCertificate);
        var key = ReadSecret(input.Secrets.ServerKey);
        var settings = input.Installer == DockerInstaller.DockerExtension
            ? DockerInstallMaterial.DockerExtensionProtectedSettings(ca, cert, key)
            : DockerInstallMaterial.CustomScriptProtectedSettings(DockerInstallMaterial.BuildInstallScript(ca, cert, key, input.DockerPort, input.DaemonOptions));
        ProtectedSettings.Enqueue(settings.ToString());
        var id = $"{input.VmResourceId}/extensions/{DockerVmResourceNames.DockerExtension}";
        return new StartDockerInstallationOutput(id, Started(id));
    }
}

internal sealed record FakeSecret(Uri Id, string Value);
