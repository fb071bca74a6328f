using System.Net;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Certificates;

/// <param name="SubjectName">Used in the CA, server and client subject CNs (usually the VM name).</param>
/// <param name="ServerDnsNames">SAN DNS names of the server certificate (the public FQDN, plus <c>localhost</c> when asked).</param>
/// <param name="ServerIpAddresses">SAN IP addresses of the server certificate (the public IP, plus 127.0.0.1 when asked).</param>
public sealed record DockerTlsIssueRequest(
    string SubjectName,
    IReadOnlyList<string> ServerDnsNames,
    IReadOnlyList<IPAddress> ServerIpAddresses,
    CertificateKeyAlgorithm KeyAlgorithm,
    int ValidityDays);
