using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Contracts;

[JsonConverter(typeof(JsonCamelCaseEnumConverter<CertificateKeyAlgorithm>))]
public enum CertificateKeyAlgorithm
{
    EcdsaP256,
    Rsa2048,
    Rsa3072,
    Rsa4096,
}
