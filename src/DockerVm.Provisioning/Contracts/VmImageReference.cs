namespace DockerVm.Provisioning.Contracts;

public sealed record VmImageReference(string Publisher, string Offer, string Sku, string Version);
