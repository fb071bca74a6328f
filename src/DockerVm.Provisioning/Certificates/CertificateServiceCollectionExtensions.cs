using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DockerVm.Provisioning.Certificates;

public static class CertificateServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IDockerTlsCertificateAuthority"/> (singleton, stateless) and <see cref="TimeProvider.System"/> unless one is registered.</summary>
    public static IServiceCollection AddDockerVmCertificates(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDockerTlsCertificateAuthority, DockerTlsCertificateAuthority>();
        return services;
    }
}
