using DockerVm.Provisioning.Orchestrations;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Tests.Orchestrations;

/// <summary>Task names are the class names, and running instances find their code by them: a rename (or a lost
/// registration, see RegistrationTests) strands every instance in flight, so the names are pinned here.</summary>
public sealed class TaskNamesTests
{
    private static readonly string[] PinnedOrchestrators = ["DeprovisionDockerVm", "ProvisionDockerVm"];

    private static readonly string[] PinnedActivities =
    [
        "CreateNetworkInterface", "CreateNetworkSecurityGroup", "CreatePublicIpAddress", "CreateVirtualNetwork",
        "DeleteDockerSecrets", "DeleteResource", "GetArmOperationStatus", "GetPublicIpAddress",
        "GetWorkflowSettings", "IssueDockerCertificates", "RecordProvisioningOutcome",
        "SendCallback", "StartDockerInstallation", "StartDockerVerification", "StartVirtualMachineCreation", "VerifyDockerEndpoint",
    ];

    private static IEnumerable<Type> TaskTypes(Type openBase) =>
        typeof(ProvisionDockerVm).Assembly.GetTypes().Where(t => !t.IsAbstract && IsSubclassOfGeneric(t, openBase));

    private static bool IsSubclassOfGeneric(Type type, Type openBase)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == openBase)
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public void Orchestrators_NamesArePinned()
    {
        Assert.Equal(PinnedOrchestrators, TaskTypes(typeof(TaskOrchestrator<,>)).Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Activities_NamesArePinned()
    {
        Assert.Equal(PinnedActivities, TaskTypes(typeof(TaskActivity<,>)).Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
