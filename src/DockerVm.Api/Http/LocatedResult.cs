using Microsoft.AspNetCore.Http;

namespace DockerVm.Api.Http;

/// <summary>An inner result plus a <c>Location</c> header, for answers other than 201/202 that still point at a resource.</summary>
public sealed class LocatedResult<TResult>(TResult inner, string location) : IResult, IStatusCodeHttpResult, INestedHttpResult
    where TResult : IResult
{
    public TResult Result => inner;

    IResult INestedHttpResult.Result => inner;

    public string Location => location;

    public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.Location = location;
        return inner.ExecuteAsync(httpContext);
    }
}
