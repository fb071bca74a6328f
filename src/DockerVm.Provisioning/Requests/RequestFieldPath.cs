namespace DockerVm.Provisioning.Requests;

/// <summary>The field names of <see cref="ValidationError.Field"/>, derived from System.Text.Json paths; one mapping for
/// every door (HTTP body, webhook, queue message).</summary>
public static class RequestFieldPath
{
    /// <summary>What names the document itself.</summary>
    public const string Root = "$";

    /// <summary><c>$.allowedSourceCidrs[1]</c> → <c>allowedSourceCidrs[1]</c>; the document itself (no path, or <c>$</c>) is <c>$</c>.</summary>
    public static string FromJsonPath(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? Root
        : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..]
        : jsonPath.TrimStart('$');

    /// <summary>The field of member <paramref name="name"/> of the object at <paramref name="parent"/>.</summary>
    public static string Member(string parent, string name) => parent == Root ? name : $"{parent}.{name}";

    /// <summary>The field of item <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Item(string parent, int index) => $"{(parent == Root ? string.Empty : parent)}[{index}]";

    /// <summary>The JSON path of a field, for messages: <c>name</c> → <c>$.name</c>.</summary>
    public static string ToJsonPath(string field) => field == Root ? Root : field.StartsWith('[') ? "$" + field : "$." + field;
}
