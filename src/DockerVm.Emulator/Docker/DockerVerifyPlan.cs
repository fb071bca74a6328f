using System.Globalization;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Compute;

namespace DockerVm.Emulator.Docker;

/// <summary>
/// The in-VM check a CustomScript ends with (the product's verify section, docs/decisions/0002): the FQDN and port it
/// curls over loopback and the CA and client pair it writes to its temp directory, read from the script the way bash
/// would see them (<c>DOCKERVM_VERIFY_FQDN='…'</c>, <c>DOCKERVM_VERIFY_PORT=…</c>, quoted heredocs).
/// </summary>
internal sealed partial record DockerVerifyPlan(string Fqdn, int Port, string CaPem, string CertPem, string KeyPem)
{
    /// <summary>Reads the check from the script the CustomScript handler would run (<see cref="CustomScriptHandler.ScriptToRun"/>);
    /// null when it has no verify section; throws InvalidDataException when the section is incomplete.</summary>
    public static DockerVerifyPlan? FromScript(string decodedScript)
    {
        ArgumentNullException.ThrowIfNull(decodedScript);
        var script = decodedScript.Replace("\r\n", "\n", StringComparison.Ordinal);
        var fqdn = FqdnLine().Match(script);
        if (!fqdn.Success)
        {
            return null;
        }

        var port = PortLine().Match(script);
        var files = Heredoc().Matches(script).ToDictionary(m => m.Groups["file"].Value, m => m.Groups["body"].Value + "\n", StringComparer.Ordinal);
        if (!port.Success || !files.TryGetValue("ca", out var ca) || !files.TryGetValue("cert", out var cert) || !files.TryGetValue("key", out var key))
        {
            throw new InvalidDataException("dockervm verify failed (DockerVerificationIncomplete): the verify section lacks its port or certificate files");
        }

        return new DockerVerifyPlan(fqdn.Groups["fqdn"].Value, int.Parse(port.Groups["port"].Value, CultureInfo.InvariantCulture), ca, cert, key);
    }

    [GeneratedRegex(@"^DOCKERVM_VERIFY_FQDN='(?<fqdn>[A-Za-z0-9.-]+)'$", RegexOptions.Multiline)]
    private static partial Regex FqdnLine();

    [GeneratedRegex(@"^DOCKERVM_VERIFY_PORT=(?<port>\d{1,5})$", RegexOptions.Multiline)]
    private static partial Regex PortLine();

    [GeneratedRegex(@"cat\s*>\s*""\$dockervm_verify_dir/(?<file>ca|cert|key)\.pem""\s*<<'PEM'\n(?<body>.*?)\nPEM(?=\n|$)", RegexOptions.Singleline)]
    private static partial Regex Heredoc();
}
