using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Contracts;

[JsonConverter(typeof(JsonCamelCaseEnumConverter<DockerInstaller>))]
public enum DockerInstaller
{
    /// <summary>Custom Script extension 2.x running our install script (default; the Docker extension is retired).</summary>
    CustomScript,

    /// <summary>The seed's Microsoft.Azure.Extensions/DockerExtension 1.x, certificates in protectedSettings.certs.</summary>
    DockerExtension,
}
