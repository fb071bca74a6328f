using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Walks a parsed document against the contract's <see cref="JsonTypeInfo"/> (the serializer's own view of the types)
/// to name every member it would refuse: unknown or case-variant names, duplicates, JSON types that do not fit
/// (a number in a string included). Used only to explain a document the serializer already refused.
/// </summary>
internal static class JsonContractCheck
{
    private const int MaxErrors = 50;
    private const int MaxNameInMessage = 64;

    public static List<ValidationError> Check(JsonElement root, JsonTypeInfo info)
    {
        var errors = new List<ValidationError>();
        Walk(root, info, RequestFieldPath.Root, errors);
        return errors;
    }

    private static void Walk(JsonElement element, JsonTypeInfo info, string field, List<ValidationError> errors)
    {
        if (errors.Count >= MaxErrors)
        {
            return;
        }

        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (info.Type.IsValueType && Nullable.GetUnderlyingType(info.Type) is null)
            {
                WrongType(field, Expected(info, type), element, errors);
            }

            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    WrongType(field, "an object", element, errors);
                    return;
                }

                var members = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var child = RequestFieldPath.Member(field, Shorten(property.Name));
                    if (!seen.Add(property.Name))
                    {
                        Add(errors, child, ValidationRules.DuplicateField, $"'{Shorten(property.Name)}' appears more than once in the same object; give each field once.");
                    }
                    else if (members.TryGetValue(property.Name, out var member))
                    {
                        Walk(property.Value, info.Options.GetTypeInfo(member.PropertyType), child, errors);
                    }
                    else
                    {
                        Add(errors, child, ValidationRules.UnknownField, UnknownMessage(property.Name, members.Keys, field));
                    }
                }

                return;

            case JsonTypeInfoKind.Dictionary:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    WrongType(field, "an object", element, errors);
                    return;
                }

                var keys = new HashSet<string>(StringComparer.Ordinal);
                var valueInfo = info.Options.GetTypeInfo(info.ElementType!);
                foreach (var property in element.EnumerateObject())
                {
                    var child = RequestFieldPath.Member(field, Shorten(property.Name));
                    if (!keys.Add(property.Name))
                    {
                        Add(errors, child, ValidationRules.DuplicateField, $"'{Shorten(property.Name)}' appears more than once in the same object; give each key once.");
                    }
                    else
                    {
                        Walk(property.Value, valueInfo, child, errors);
                    }
                }

                return;

            case JsonTypeInfoKind.Enumerable:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    WrongType(field, "an array", element, errors);
                    return;
                }

                var itemInfo = info.Options.GetTypeInfo(info.ElementType!);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, itemInfo, RequestFieldPath.Item(field, index++), errors);
                }

                return;

            default:
                var fits = Expected(info, type) switch
                {
                    "a string" => element.ValueKind == JsonValueKind.String,
                    "true or false" => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
                    "a whole number" => element.ValueKind == JsonValueKind.Number && FitsInteger(element, type),
                    "a number" => element.ValueKind == JsonValueKind.Number,
                    _ => true,
                };
                if (!fits)
                {
                    WrongType(field, Expected(info, type), element, errors);
                }

                return;
        }
    }

    private static string Expected(JsonTypeInfo info, Type type) =>
        info.Kind switch
        {
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            JsonTypeInfoKind.Enumerable => "an array",
            _ when type == typeof(string) || type == typeof(Uri) || type.IsEnum || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number",
            _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
            _ => "a value of another type",
        };

    private static bool FitsInteger(JsonElement element, Type type) =>
        type == typeof(int) ? element.TryGetInt32(out _)
        : type == typeof(long) ? element.TryGetInt64(out _)
        : type == typeof(short) ? element.TryGetInt16(out _)
        : element.TryGetByte(out _);

    private static void WrongType(string field, string expected, JsonElement actual, List<ValidationError> errors)
    {
        var got = actual.ValueKind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
        var detail = expected == "a whole number" && actual.ValueKind == JsonValueKind.String
            ? " (numbers are never read from strings)"
            : expected == "a whole number" && actual.ValueKind == JsonValueKind.Number ? " (a whole number in range)" : string.Empty;
        Add(errors, field, ValidationRules.JsonSyntax, $"The value at {RequestFieldPath.ToJsonPath(field)} must be {expected}, not {got}{detail}.");
    }

    private static string UnknownMessage(string name, IEnumerable<string> known, string parent)
    {
        var where = parent == RequestFieldPath.Root ? "the request" : $"'{parent}'";
        var message = $"'{Shorten(name)}' is not a field of {where}; field names are camelCase and case-sensitive";
        var hint = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            ?? known.Where(k => name.Length < 64 && Distance(k, name) <= 2).OrderBy(k => Distance(k, name)).FirstOrDefault();
        return hint is null ? message + "." : $"{message} (did you mean '{hint}'?).";
    }

    private static void Add(List<ValidationError> errors, string field, string rule, string message)
    {
        if (errors.Count < MaxErrors)
        {
            errors.Add(new ValidationError(field, rule, message));
        }
    }

    private static string Shorten(string name) => name.Length <= MaxNameInMessage ? name : name[..MaxNameInMessage] + "…";

    /// <summary>Levenshtein distance, for the "did you mean" hint on short member names.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
