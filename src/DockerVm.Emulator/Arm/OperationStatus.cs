namespace DockerVm.Emulator.Arm;

internal enum OperationStatus
{
    InProgress,
    Succeeded,
    Failed,
    Canceled,
}
