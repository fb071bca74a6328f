namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// A long-running ARM operation an activity started (<c>WaitUntil.Started</c>), as its first response described it:
/// the orchestration keeps it and has <c>GetArmOperationStatus</c> ask about it on durable timers. Microsoft's
/// "Track asynchronous Azure operations" (azure-resource-manager/management/async-operations): use
/// <c>Azure-AsyncOperation</c> when present, <c>Location</c> only without it, and wait <c>Retry-After</c> seconds
/// before checking. URLs point at the ARM endpoint and carry no secret.
/// </summary>
/// <param name="ResourceId">The resource the operation creates, updates or deletes.</param>
/// <param name="StatusUrl"><c>Azure-AsyncOperation</c>: answers <c>{"status": …, "error": {…}}</c>.</param>
/// <param name="ResultUrl"><c>Location</c>: 202 while running, then the result; used only without <paramref name="StatusUrl"/>.</param>
/// <param name="RetryAfter">The first response's <c>Retry-After</c>: no check before that.</param>
/// <param name="Done">The first response was final (no operation to follow: a synchronous 200/201/204, or a body already
/// <c>Succeeded</c>), so nobody asks.</param>
/// <param name="IsDelete">A deletion: without either URL, done once the resource answers 404.</param>
public sealed record ArmOperationHandle(
    string ResourceId,
    string? StatusUrl,
    string? ResultUrl,
    TimeSpan? RetryAfter,
    bool Done,
    bool IsDelete = false)
{
    /// <summary>An operation known only by its resource (a retried start whose first response was lost): checked by
    /// reading the resource's provisioningState (or its 404, for a deletion).</summary>
    public static ArmOperationHandle ByResource(string resourceId, bool isDelete = false) => new(resourceId, null, null, null, Done: false, isDelete);
}
