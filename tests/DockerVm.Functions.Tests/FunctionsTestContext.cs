using DockerVm.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DockerVm.Functions.Tests;

internal static class FunctionsTestContext
{
    /// <summary>A function class created from the app's services, as the worker creates it per invocation.</summary>
    public static T Create<T>(this ApiTestContext api) => ActivatorUtilities.CreateInstance<T>(api.Services);
}
