namespace DockerVm.Provisioning.Application;

/// <summary>What became of a provisioning request (REST body, queue message or webhook payload).</summary>
public abstract record SubmitOutcome;
