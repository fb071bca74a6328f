namespace DockerVm.Emulator.Arm;

/// <summary>What an operation does when it completes; kept so that an operation in progress survives an emulator restart.</summary>
internal enum OperationKind
{
    Provision,
    Delete,
    ResourceGroupDelete,
}
