using System.Diagnostics.CodeAnalysis;

namespace DockerVm.Provisioning.Requests;

/// <summary>Either the request read from JSON, or why not with every field at fault (never both).</summary>
public sealed class RequestReadResult<T>
    where T : class
{
    internal RequestReadResult(T value)
    {
        Value = value;
        Errors = [];
    }

    internal RequestReadResult(RequestReadFailure failure, IReadOnlyList<ValidationError> errors)
    {
        Failure = failure;
        Errors = errors;
    }

    public T? Value { get; }

    public RequestReadFailure Failure { get; }

    public IReadOnlyList<ValidationError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsRead => Value is not null;
}
