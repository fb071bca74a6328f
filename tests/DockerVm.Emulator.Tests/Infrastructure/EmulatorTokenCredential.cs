using Azure.Core;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>
/// Gets tokens straight from an emulator instance (or returns a fixed token). Used where a test runs its own emulator,
/// so the process-wide IDENTITY_* variables keep pointing at the shared one.
/// </summary>
internal sealed class EmulatorTokenCredential(Func<string, string> issue) : TokenCredential
{
    public static EmulatorTokenCredential For(AzureEmulator emulator) => new(resource => emulator.IssueToken(resource));

    public static EmulatorTokenCredential Fixed(string token) => new(_ => token);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(issue(requestContext.Scopes[0]), DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
