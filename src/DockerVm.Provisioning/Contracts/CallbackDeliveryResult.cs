namespace DockerVm.Provisioning.Contracts;

/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Attempts">How many POSTs were made.</param>
/// <param name="LastStatusCode">Last HTTP status, null when no response (connection refused, timeout).</param>
/// <param name="Error">Why delivery failed, null on success. Never contains the signing secret.</param>
public sealed record CallbackDeliveryResult(bool Delivered, int Attempts, int? LastStatusCode, string? Error);
