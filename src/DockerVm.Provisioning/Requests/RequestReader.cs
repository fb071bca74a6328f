using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// The one reader of the request contract for every door: the REST body, the webhook envelope and the queue message
/// are read with <see cref="RequestJson.Options"/>, and every fault is reported as a <see cref="ValidationError"/>
/// whose field is the JSON path without <c>$.</c> (the document itself is <c>$</c>), like the validator's fields.
/// Messages name paths and members, never values.
/// </summary>
public static class RequestReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    public static RequestReadResult<T> Read<T>(string? text)
        where T : class
    {
        text ??= string.Empty;
        return Encoding.UTF8.GetMaxByteCount(text.Length) > RequestJson.MaxBytes && Encoding.UTF8.GetByteCount(text) > RequestJson.MaxBytes
            ? TooLarge<T>()
            : Read<T>(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Reads at most <see cref="RequestJson.MaxBytes"/> from <paramref name="stream"/>; more is <see cref="RequestReadFailure.TooLarge"/>.</summary>
    public static async Task<RequestReadResult<T>> ReadAsync<T>(Stream stream, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(RequestJson.MaxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= RequestJson.MaxBytes
                && (read = await stream.ReadAsync(buffer.AsMemory(length, RequestJson.MaxBytes + 1 - length), ct)) > 0)
            {
                length += read;
            }

            return Read<T>(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    public static RequestReadResult<T> Read<T>(ReadOnlySpan<byte> utf8)
        where T : class
    {
        if (utf8.Length > RequestJson.MaxBytes)
        {
            return TooLarge<T>();
        }

        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Empty<T>();
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(utf8, RequestJson.Options);
        }
        catch (JsonException ex)
        {
            return Explain<T>(utf8, ex);
        }

        return value is null ? Empty<T>() : new RequestReadResult<T>(value);
    }

    /// <summary>The serializer stops at the first fault; walking the document against the contract names them all.</summary>
    private static RequestReadResult<T> Explain<T>(ReadOnlySpan<byte> utf8, JsonException ex)
        where T : class
    {
        var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
        var field = RequestFieldPath.FromJsonPath(path);
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : string.Empty;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException)
        {
            return new RequestReadResult<T>(RequestReadFailure.Syntax,
                [new ValidationError(field, ValidationRules.JsonSyntax, $"The text is not valid JSON at {path}{where}.")]);
        }

        using (document)
        {
            var errors = JsonContractCheck.Check(document.RootElement, RequestJson.Options.GetTypeInfo(typeof(T)));
            return new RequestReadResult<T>(RequestReadFailure.Contract, errors.Count > 0
                ? errors
                : [new ValidationError(field, ValidationRules.JsonSyntax, $"The value at {path}{where} is not valid JSON or has the wrong type.")]);
        }
    }

    private static RequestReadResult<T> Empty<T>()
        where T : class =>
        new(RequestReadFailure.Empty, [new ValidationError("$", ValidationRules.Required, "A JSON object is required.")]);

    private static RequestReadResult<T> TooLarge<T>()
        where T : class =>
        new(RequestReadFailure.TooLarge, [new ValidationError("$", ValidationRules.RequestTooLarge, $"At most {RequestJson.MaxBytes} bytes of JSON are accepted.")]);
}
