namespace DockerVm.Emulator.Arm;

/// <summary>Thrown by handlers to answer with an Azure-shaped error.</summary>
internal sealed class AzureErrorException : Exception
{
    public AzureErrorException()
        : this(500, new AzureError("InternalServerError", "An internal error occurred."))
    {
    }

    public AzureErrorException(string message)
        : this(500, new AzureError("InternalServerError", message))
    {
    }

    public AzureErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new AzureError("InternalServerError", message);
        StatusCode = 500;
    }

    public AzureErrorException(int statusCode, AzureError error)
        : base(error.Message)
    {
        StatusCode = statusCode;
        Error = error;
    }

    public AzureErrorException(int statusCode, string code, string message, string? target = null)
        : this(statusCode, new AzureError(code, message, target))
    {
    }

    public int StatusCode { get; }

    public AzureError Error { get; }

    /// <summary>Extra response headers (e.g. WWW-Authenticate, Retry-After).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static AzureErrorException BadRequest(string code, string message, string? target = null) =>
        new(400, code, message, target);

    public static AzureErrorException NotFound(string code, string message) => new(404, code, message);

    public static AzureErrorException Conflict(string code, string message) => new(409, code, message);
}
