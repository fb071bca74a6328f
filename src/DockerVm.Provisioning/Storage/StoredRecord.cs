namespace DockerVm.Provisioning.Storage;

/// <summary>A record as read or written, with the version (<paramref name="ETag"/>) a conditional write must match.</summary>
public sealed record StoredRecord<T>(T Value, string ETag);
