namespace DockerVm.Provisioning.Requests;

/// <summary>The field names of <see cref="ValidationError.Field"/>, derived from System.Text.Json paths.</summary>
public static class RequestFieldPath
{
    /// <summary><c>$.allowedSourceCidrs[1]</c> → <c>allowedSourceCidrs[1]</c>; the document itself (no path, or <c>$</c>)
    /// is named <paramref name="root"/>, because callers name it differently (the queue "", the HTTP API "$").</summary>
    public static string FromJsonPath(string? jsonPath, string root = "") =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? root
        : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..]
        : jsonPath.TrimStart('$');
}
