using System.Diagnostics.CodeAnalysis;

namespace DockerVm.Provisioning.Requests;

/// <summary>Either a valid <typeparamref name="T"/> or every violated rule, never both.</summary>
public sealed class ValidationResult<T>
    where T : class
{
    internal ValidationResult(T value)
    {
        Value = value;
        Errors = [];
    }

    internal ValidationResult(IReadOnlyList<ValidationError> errors)
    {
        Errors = errors;
    }

    public T? Value { get; }

    public IReadOnlyList<ValidationError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Value is not null;
}
