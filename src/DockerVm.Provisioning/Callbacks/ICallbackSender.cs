using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>Delivers a <see cref="DockerHostEvent"/> to a caller as a signed CloudEvent, one attempt per call;
/// <see cref="CallbackRetry"/> does the retrying.</summary>
public interface ICallbackSender
{
    /// <summary>Makes attempt number <paramref name="attempt"/> (from 1). Never throws for delivery failures: the
    /// result says whether it was delivered and, when the failure is transient and attempts remain, how long to wait
    /// before the next (<see cref="CallbackAttemptResult.RetryAfter"/>).</summary>
    Task<CallbackAttemptResult> SendAsync(CallbackTarget target, DockerHostEvent hostEvent, int attempt, CancellationToken cancellationToken);
}
