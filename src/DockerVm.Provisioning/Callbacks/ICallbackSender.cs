using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>Delivers a <see cref="DockerHostEvent"/> to a caller as a signed CloudEvent, retrying with backoff.</summary>
public interface ICallbackSender
{
    /// <summary>Never throws for delivery failures: a receiver that keeps failing is reported in the result.</summary>
    Task<CallbackDeliveryResult> SendAsync(CallbackTarget target, DockerHostEvent hostEvent, CancellationToken cancellationToken);
}
