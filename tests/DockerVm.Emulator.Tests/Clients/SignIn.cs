using DockerVm.Emulator.Faults;

namespace DockerVm.Emulator.Tests.Clients;

/// <summary>az's sign-in steps (cloud register, cloud set, login) and what the emulator served meanwhile.</summary>
internal sealed record SignIn(IReadOnlyList<ChildResult> Steps, IReadOnlyList<RequestLogEntry> Requests);
