namespace DockerVm.Emulator.Hosting;

/// <summary>How long each kind of long-running operation stays InProgress. Mutable at run time.</summary>
public sealed class LroDurations
{
    public TimeSpan VirtualMachine { get; set; } = TimeSpan.Zero;

    public TimeSpan Extension { get; set; } = TimeSpan.Zero;

    public TimeSpan Network { get; set; } = TimeSpan.Zero;

    public TimeSpan Delete { get; set; } = TimeSpan.Zero;

    public TimeSpan ResourceGroupDelete { get; set; } = TimeSpan.Zero;

    public TimeSpan SecretDelete { get; set; } = TimeSpan.Zero;

    public LroDurations Clone() => (LroDurations)MemberwiseClone();
}
