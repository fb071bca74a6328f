using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Guest;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Network;

namespace DockerVm.Emulator.Arm;

/// <summary>Everything ARM handlers share: the store, options, address pool, Docker daemons, faults.</summary>
internal sealed class ArmRuntime
{
    private readonly Dictionary<string, ResourceType> _types = new(StringComparer.OrdinalIgnoreCase);

    public ArmRuntime(
        EmulatorOptions options,
        ResourceStore store,
        PublicIpPool ipPool,
        DockerDaemonHost docker,
        FaultInjector faults,
        ILogger logger,
        IEnumerable<ResourceType> types)
    {
        Options = options;
        Store = store;
        IpPool = ipPool;
        Docker = docker;
        docker.Admission = (owner, source, destination) => NsgEvaluator.Admits(this, owner, source, destination);
        Faults = faults;
        Logger = logger;
        foreach (var type in types)
        {
            _types[type.FullType] = type;
        }
    }

    public EmulatorOptions Options { get; }

    public LroDurations Durations => Options.Durations;

    public ResourceStore Store { get; }

    public PublicIpPool IpPool { get; }

    public DockerDaemonHost Docker { get; }

    /// <summary>The VMs' guest sandboxes in real-Docker mode; null when daemons are emulated.</summary>
    public GuestHost? Guests { get; init; }

    public FaultInjector Faults { get; }

    public ILogger Logger { get; }

    public IEnumerable<ResourceType> Types => _types.Values;

    public DateTimeOffset Now => Store.Time.GetUtcNow();

    public string SubscriptionId => Options.SubscriptionId;

    public ResourceType? FindType(string fullType) => _types.GetValueOrDefault(fullType);

    public IEnumerable<string> Namespaces => _types.Values.Select(t => t.Namespace).Distinct(StringComparer.OrdinalIgnoreCase);

    public string ResourceGroupId(string resourceGroup) => $"/subscriptions/{SubscriptionId}/resourceGroups/{resourceGroup}";

    /// <summary>Deletes a resource and its child resources now (operation completion, resource group delete).</summary>
    public void DeleteNow(ArmResource resource)
    {
        foreach (var child in Store.ChildrenOf(resource.Id).ToList())
        {
            DeleteNow(child);
        }

        Store.Cancel(resource.ActiveOperationId);
        Store.Remove(resource.Id);
        FindType(resource.Type)?.Deleted(this, resource);
    }
}
