using System.Globalization;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.KeyVault;

namespace DockerVm.Emulator.State;

/// <summary>
/// Everything Azure would still hold after the emulator process went away, as one JSON document: resource groups,
/// resources (with the protected settings an extension keeps, so its Docker daemon can serve again), long-running
/// operations (ids, due times, outcomes), public IP allocations and Key Vault secrets with all versions and soft-deleted
/// ones. Not kept: request journal, faults, latencies, throttling, durations (test knobs of one run).
/// </summary>
internal static class EmulatorSnapshot
{
    public const int FormatVersion = 1;

    /// <summary>Takes the store's and the vault's locks, one after the other, each briefly.</summary>
    public static JsonObject Capture(ArmRuntime rt, SecretStore secrets)
    {
        var groups = new JsonArray();
        var resources = new JsonArray();
        var operations = new JsonArray();
        JsonObject addresses;
        lock (rt.Store.Gate)
        {
            foreach (var group in rt.Store.Groups.OrderBy(g => g.Created))
            {
                groups.Add(ResourceToJson(group));
            }

            foreach (var resource in rt.Store.Resources.OrderBy(r => r.Created))
            {
                resources.Add(ResourceToJson(resource));
            }

            foreach (var operation in rt.Store.Operations.OrderBy(o => o.Start))
            {
                operations.Add(OperationToJson(operation));
            }

            var (next, inUse, released) = rt.IpPool.Export();
            addresses = new JsonObject
            {
                ["next"] = next,
                ["inUse"] = new JsonArray([.. inUse.Select(a => (JsonNode)a)]),
                ["released"] = new JsonArray([.. released.Select(a => (JsonNode)a)]),
            };
        }

        var live = new JsonArray();
        var deleted = new JsonArray();
        lock (secrets.Gate)
        {
            foreach (var entry in secrets.Live.Values.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase))
            {
                live.Add(SecretToJson(entry));
            }

            foreach (var gone in secrets.Deleted.Values.OrderBy(d => d.Entry.Name, StringComparer.OrdinalIgnoreCase))
            {
                var json = SecretToJson(gone.Entry);
                json["deletedOn"] = Time(gone.DeletedOn);
                json["visibleFrom"] = Time(gone.VisibleFrom);
                deleted.Add(json);
            }
        }

        return new JsonObject
        {
            ["formatVersion"] = FormatVersion,
            ["subscriptionId"] = rt.SubscriptionId,
            ["savedAt"] = Time(rt.Now),
            ["resourceGroups"] = groups,
            ["resources"] = resources,
            ["operations"] = operations,
            ["publicIpAddresses"] = addresses,
            ["secrets"] = live,
            ["deletedSecrets"] = deleted,
        };
    }

    /// <summary>Loads a captured state into an empty emulator, before it serves; throws InvalidDataException when it cannot.</summary>
    public static void Restore(JsonObject state, ArmRuntime rt, SecretStore secrets)
    {
        if ((int?)state["formatVersion"] != FormatVersion)
        {
            throw new InvalidDataException($"format version {state["formatVersion"]?.ToJsonString() ?? "(none)"} is not {FormatVersion}");
        }

        if (!string.Equals((string?)state["subscriptionId"], rt.SubscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"it belongs to subscription {state["subscriptionId"]}, not {rt.SubscriptionId}");
        }

        lock (rt.Store.Gate)
        {
            foreach (var group in Items(state, "resourceGroups"))
            {
                rt.Store.PutGroup(ResourceFromJson(group));
            }

            var restored = Items(state, "resources").Select(ResourceFromJson).ToList();
            foreach (var resource in restored)
            {
                rt.Store.Put(resource);
            }

            if (state["publicIpAddresses"] is JsonObject addresses)
            {
                rt.IpPool.Import(
                    Required(addresses, "next"),
                    Strings(addresses["inUse"]),
                    Strings(addresses["released"]));
            }

            // Parents before children (a VM before its extension), as they were created.
            foreach (var resource in restored)
            {
                rt.FindType(resource.Type)?.Restored(rt, resource);
            }

            foreach (var operation in Items(state, "operations"))
            {
                RestoreOperation(operation, rt);
            }

            rt.Store.Touch();
        }

        lock (secrets.Gate)
        {
            foreach (var secret in Items(state, "secrets"))
            {
                var entry = SecretFromJson(secret);
                secrets.Live[entry.Name] = entry;
            }

            foreach (var secret in Items(state, "deletedSecrets"))
            {
                var entry = SecretFromJson(secret);
                secrets.Deleted[entry.Name] = new DeletedSecret(entry, ParseTime(secret, "deletedOn"), ParseTime(secret, "visibleFrom"));
            }
        }
    }

    private static JsonObject ResourceToJson(ArmResource resource) => new()
    {
        ["id"] = resource.Id,
        ["type"] = resource.Type,
        ["name"] = resource.Name,
        ["subscriptionId"] = resource.SubscriptionId,
        ["resourceGroup"] = resource.ResourceGroup,
        ["parentId"] = resource.ParentId,
        ["created"] = Time(resource.Created),
        ["body"] = resource.Body.DeepClone(),
        ["protectedSettings"] = resource.ProtectedSettings?.DeepClone(),
        ["activeOperationId"] = resource.ActiveOperationId,
        ["deleting"] = resource.Deleting,
        ["powerState"] = resource.PowerState,
        ["failureError"] = ErrorToJson(resource.FailureError),
        ["statusMessage"] = resource.StatusMessage,
    };

    private static ArmResource ResourceFromJson(JsonObject json) => new()
    {
        Id = Required(json, "id"),
        Type = Required(json, "type"),
        Name = Required(json, "name"),
        SubscriptionId = Required(json, "subscriptionId"),
        ResourceGroup = Required(json, "resourceGroup"),
        ParentId = (string?)json["parentId"],
        Created = ParseTime(json, "created"),
        Body = json["body"] as JsonObject is { } body ? (JsonObject)body.DeepClone() : throw Missing("body"),
        ProtectedSettings = json["protectedSettings"] is JsonObject secrets ? (JsonObject)secrets.DeepClone() : null,
        ActiveOperationId = (string?)json["activeOperationId"],
        Deleting = (bool?)json["deleting"] ?? false,
        PowerState = (string?)json["powerState"] ?? "running",
        FailureError = ErrorFromJson(json["failureError"]),
        StatusMessage = (string?)json["statusMessage"],
    };

    private static JsonObject OperationToJson(AsyncOperation operation) => new()
    {
        ["id"] = operation.Id,
        ["resourceId"] = operation.ResourceId,
        ["providerNamespace"] = operation.ProviderNamespace,
        ["location"] = operation.Location,
        ["kind"] = operation.Kind.ToString(),
        ["previousState"] = operation.PreviousState,
        ["start"] = Time(operation.Start),
        ["due"] = Time(operation.Due),
        ["end"] = operation.End is { } end ? Time(end) : null,
        ["status"] = operation.Status.ToString(),
        ["error"] = ErrorToJson(operation.Error),
        ["forcedFailure"] = ErrorToJson(operation.ForcedFailure),
    };

    private static void RestoreOperation(JsonObject json, ArmRuntime rt)
    {
        var id = Required(json, "id");
        var resourceId = Required(json, "resourceId");
        var status = Enum.Parse<OperationStatus>(Required(json, "status"));
        var kind = Enum.Parse<OperationKind>(Required(json, "kind"));
        var start = ParseTime(json, "start");
        var due = ParseTime(json, "due");
        var forced = ErrorFromJson(json["forcedFailure"]);
        if (status == OperationStatus.InProgress)
        {
            // Only the operation the resource still waits for is live; anything else was superseded before the save.
            var resource = kind == OperationKind.ResourceGroupDelete ? rt.Store.FindGroup(resourceId.Split('/')[^1]) : rt.Store.Find(resourceId);
            if (resource?.ActiveOperationId == id)
            {
                if (kind == OperationKind.ResourceGroupDelete)
                {
                    ArmEndpoints.TrackGroupDeletion(rt, resource, start, due, forced, id);
                    return;
                }

                if (rt.FindType(resource.Type) is { } type)
                {
                    _ = kind == OperationKind.Delete
                        ? ArmEndpoints.TrackDeletion(rt, type, resource, (string?)json["previousState"] ?? "Succeeded", start, due, forced, id)
                        : ArmEndpoints.TrackProvisioning(rt, type, resource, start, due, forced, id);
                    return;
                }
            }

            status = OperationStatus.Canceled;
        }

        rt.Store.RestoreFinished(new AsyncOperation
        {
            Id = id,
            ResourceId = resourceId,
            ProviderNamespace = Required(json, "providerNamespace"),
            Location = (string?)json["location"] ?? string.Empty,
            Start = start,
            Due = due,
            Kind = kind,
            IsDelete = kind != OperationKind.Provision,
            PreviousState = (string?)json["previousState"],
            ForcedFailure = forced,
            Complete = _ => null,
            Status = status,
            Error = ErrorFromJson(json["error"]),
            End = json["end"] is null ? null : ParseTime(json, "end"),
        });
    }

    private static JsonObject SecretToJson(SecretEntry entry) => new()
    {
        ["name"] = entry.Name,
        ["versions"] = new JsonArray([.. entry.Versions.Select(v => (JsonNode)new JsonObject
        {
            ["version"] = v.Version,
            ["value"] = v.Value,
            ["contentType"] = v.ContentType,
            ["tags"] = v.Tags?.DeepClone(),
            ["enabled"] = v.Enabled,
            ["nbf"] = v.NotBefore,
            ["exp"] = v.Expires,
            ["created"] = v.Created,
            ["updated"] = v.Updated,
        })]),
    };

    private static SecretEntry SecretFromJson(JsonObject json)
    {
        var entry = new SecretEntry(Required(json, "name"));
        foreach (var version in json["versions"] as JsonArray ?? throw Missing("versions"))
        {
            var v = version as JsonObject ?? throw Missing("versions[]");
            entry.Versions.Add(new SecretVersion
            {
                Version = Required(v, "version"),
                Value = (string?)v["value"] ?? throw Missing("value"),
                ContentType = (string?)v["contentType"],
                Tags = v["tags"] is JsonObject tags ? (JsonObject)tags.DeepClone() : null,
                Enabled = (bool?)v["enabled"] ?? true,
                NotBefore = (long?)v["nbf"],
                Expires = (long?)v["exp"],
                Created = (long?)v["created"] ?? throw Missing("created"),
                Updated = (long?)v["updated"] ?? 0,
            });
        }

        if (entry.Versions.Count == 0)
        {
            throw Missing($"versions of secret {entry.Name}");
        }

        return entry;
    }

    private static JsonObject? ErrorToJson(AzureError? error) => error?.ToJson();

    private static AzureError? ErrorFromJson(JsonNode? json) =>
        json is JsonObject error ? new AzureError(Required(error, "code"), (string?)error["message"] ?? string.Empty, (string?)error["target"]) : null;

    private static IEnumerable<JsonObject> Items(JsonObject state, string name) =>
        (state[name] as JsonArray ?? []).Select(item => item as JsonObject ?? throw Missing($"{name}[]"));

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(item => (string?)item ?? throw Missing("address"));

    private static string Required(JsonObject json, string name) => (string?)json[name] ?? throw Missing(name);

    private static string Time(DateTimeOffset time) => time.ToString("o", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(JsonObject json, string name) =>
        DateTimeOffset.Parse(Required(json, name), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static InvalidDataException Missing(string name) => new($"'{name}' is missing or malformed");
}
