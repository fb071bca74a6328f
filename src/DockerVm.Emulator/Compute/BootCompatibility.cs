using System.Globalization;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Compute;

/// <summary>
/// Whether a VM size can boot an image: CPU architecture and Hyper-V generation, refused the way Compute refuses them
/// (400 BadRequest). Sizes: Azure's naming convention ("p" among the feature letters is an Arm64 CPU); Generation 1
/// only for the A family (generation-2.md) and the non-premium Dv2/Dv3 series (dv2-series.md, dv3-series.md); Generation
/// 2 only for Arm64 and the v6 series (dsv6-series.md). Images: the catalog's SKU names (<c>-arm64</c>, <c>-gen1</c>,
/// <c>-gen2</c>, ...; Ubuntu 24.04's plain SKUs are Generation 2).
/// </summary>
internal static partial class BootCompatibility
{
    private static readonly HashSet<string> Gen2PlainSkus = new(StringComparer.OrdinalIgnoreCase)
    {
        "Canonical:ubuntu-24_04-lts:server", "Canonical:ubuntu-24_04-lts:minimal", "Canonical:ubuntu-24_04-lts:cvm",
        "Canonical:ubuntu-24_04-lts:ubuntu-pro", "SUSE:sles-15-sp6:gen2",
    };

    /// <summary>"Arm64" or "x64".</summary>
    public static string SizeArchitecture(string size) =>
        SizeName().Match(size) is { Success: true } m && m.Groups["features"].Value.Contains('p', StringComparison.OrdinalIgnoreCase) ? "Arm64" : "x64";

    /// <summary>The Hyper-V generations ("1", "2") the size boots.</summary>
    public static IReadOnlyList<string> SizeGenerations(string size)
    {
        var m = SizeName().Match(size);
        if (!m.Success)
        {
            return ["1", "2"];
        }

        var family = m.Groups["family"].Value.ToUpperInvariant();
        var features = m.Groups["features"].Value;
        var version = m.Groups["version"].Success ? int.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture) : 1;
        if (SizeArchitecture(size) == "Arm64" || version >= 6)
        {
            return ["2"];
        }

        return family == "A" || (family == "D" && features.Length == 0 && version is 2 or 3) ? ["1"] : ["1", "2"];
    }

    public static string ImageArchitecture(string sku) =>
        Words(sku).Any(w => w is "arm64" or "aarch64") ? "Arm64" : "x64";

    public static string ImageGeneration(string publisher, string offer, string sku)
    {
        var words = Words(sku).ToList();
        if (words.Contains("gen1"))
        {
            return "1";
        }

        return ImageArchitecture(sku) == "Arm64" || words.Any(w => w is "gen2" or "g2" or "gensecond") || sku.EndsWith("azure-edition", StringComparison.OrdinalIgnoreCase)
            || Gen2PlainSkus.Contains($"{publisher}:{offer}:{sku}")
            ? "2"
            : "1";
    }

    /// <summary>Throws Compute's error when <paramref name="size"/> cannot boot the marketplace image.</summary>
    public static void EnsureBootable(string size, string publisher, string offer, string sku)
    {
        var sizeArchitecture = SizeArchitecture(size);
        var imageArchitecture = ImageArchitecture(sku);
        if (sizeArchitecture != imageArchitecture)
        {
            throw AzureErrorException.BadRequest(
                "BadRequest",
                $"Cannot create a VM of size '{size}' because this VM size only supports a CPU Architecture of '{sizeArchitecture}', but an image or disk with CPU Architecture '{imageArchitecture}' was given. Please check that the CPU Architecture of the image or disk is compatible with that of the VM size.");
        }

        var generation = ImageGeneration(publisher, offer, sku);
        if (!SizeGenerations(size).Contains(generation))
        {
            throw AzureErrorException.BadRequest(
                "BadRequest",
                $"The selected VM size '{size}' cannot boot Hypervisor Generation '{generation}'. If this was a Create operation please check that the Hypervisor Generation of the Image matches the Hypervisor Generation of the selected VM Size. If this was an Update operation please select a Hypervisor Generation '{generation}' VM Size. For more information, see https://aka.ms/azuregen2vm");
        }
    }

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^Standard_(?<family>[A-Za-z]+)(?<cpus>[0-9]+)(?:-[0-9]+)?(?<features>[A-Za-z]*)(?:_(?![vV][0-9]+$)[A-Za-z0-9]+)*(?:_[vV](?<version>[0-9]+))?$")]
    private static partial Regex SizeName();
}
