namespace DockerVm.Benchmarks;

/// <param name="Hosts">Docker hosts provisioned (all at once), then deprovisioned (all at once).</param>
/// <param name="Profile">Durations the emulator takes and the workflow settings it runs with.</param>
/// <param name="NicReservation">How long the emulator keeps a deleted VM's NIC reserved (Azure: 180 s).</param>
internal sealed record ArmWorkflowBenchmarkOptions(int Hosts, ArmProfile Profile, TimeSpan NicReservation);
