namespace DockerVm.Emulator.Identity;

internal enum TokenCheck
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
    WrongAudience,
}
