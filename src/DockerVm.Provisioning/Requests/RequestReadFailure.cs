namespace DockerVm.Provisioning.Requests;

/// <summary>Why <see cref="RequestReader"/> produced no request.</summary>
public enum RequestReadFailure
{
    None,

    /// <summary>Not JSON at all (or cut off).</summary>
    Syntax,

    /// <summary>JSON, but not the contract: unknown or duplicate members, wrong types, values the type cannot hold.</summary>
    Contract,

    /// <summary>Nothing, or JSON <c>null</c>.</summary>
    Empty,

    /// <summary>More than <see cref="RequestJson.MaxBytes"/>.</summary>
    TooLarge,
}
