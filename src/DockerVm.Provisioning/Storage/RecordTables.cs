namespace DockerVm.Provisioning.Storage;

/// <summary>The tables the app keeps beside its task hub (names prefixed with the hub's, so two hubs sharing an account stay apart).</summary>
public static class RecordTables
{
    /// <summary>One row per target Docker host (subscription + resource group + VM name): the run that owns it.</summary>
    public const string Hosts = "Hosts";

    /// <summary>One row per idempotency key: the host and request body it was first used with.</summary>
    public const string IdempotencyKeys = "Keys";

    /// <summary>One row per accepted inbound webhook id, for the replay window.</summary>
    public const string WebhookIds = "WebhookIds";
}
