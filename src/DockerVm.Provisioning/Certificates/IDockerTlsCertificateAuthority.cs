namespace DockerVm.Provisioning.Certificates;

/// <summary>Issues the per-VM Docker TLS material: a CA, a server pair (serverAuth) and a client pair (clientAuth).</summary>
public interface IDockerTlsCertificateAuthority
{
    DockerTlsCertificateSet Issue(DockerTlsIssueRequest request);
}
