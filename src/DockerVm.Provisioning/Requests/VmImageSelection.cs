using System.Text.RegularExpressions;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Matches the image to what the VM size can boot, before anything exists: Azure refuses the VM PUT otherwise, after
/// network and secrets were created (400 BadRequest: "Cannot create a VM of size '…' because this VM size only supports
/// a CPU Architecture of 'Arm64', but an image or disk with CPU Architecture 'x64' was given", and "The selected VM size
/// '…' cannot boot Hypervisor Generation '1'/'2'", quoted in e.g. GoogleCloudPlatform/PerfKitBenchmarker#3741 and
/// microsoft/ga4gh-tes#43). Without an image in the request the matching Ubuntu LTS SKU is chosen; a chosen image that
/// clearly does not fit is refused.
/// </summary>
internal static partial class VmImageSelection
{
    /// <summary>The Arm64 build of the default image (the SKU public Arm64 deployments pair with Dps/Bps sizes).</summary>
    public static VmImageReference DefaultArm64Image { get; } = ProvisionRequestValidator.DefaultImage with { Sku = "server-arm64" };

    /// <summary>The Generation 1 build of the default image, for sizes that cannot boot Generation 2.</summary>
    public static VmImageReference DefaultGen1Image { get; } = ProvisionRequestValidator.DefaultImage with { Sku = "server-gen1" };

    /// <summary>The image to create the VM from; reports a mismatch through <paramref name="fail"/>. Sizes or images
    /// that are not well-formed are left to their own checks.</summary>
    public static VmImageReference Resolve(string? vmSize, VmImageReference? requested, Action<string, string, string> fail)
    {
        if (vmSize is null || Parse(vmSize) is not { } size)
        {
            return requested ?? ProvisionRequestValidator.DefaultImage;
        }

        if (requested is null)
        {
            return size.IsArm64 ? DefaultArm64Image : size.Gen1Only ? DefaultGen1Image : ProvisionRequestValidator.DefaultImage;
        }

        if (requested.Publisher is null || requested.Offer is null || requested.Sku is null)
        {
            return requested;
        }

        var imageArm64 = IsArm64Image(requested);
        if (size.IsArm64 != imageArm64)
        {
            fail("image", ValidationRules.VmSizeImageMismatch, size.IsArm64
                ? $"'{vmSize}' is an Arm64 size (the 'p' in its name) and boots Arm64 images only, e.g. sku 'server-arm64' of ubuntu-24_04-lts; leave image out to get that one."
                : $"'{vmSize}' is an x64 size and cannot boot the Arm64 image '{requested.Sku}'; choose an Arm64 size (with a 'p', e.g. Standard_D2ps_v5) or an x64 image.");
        }
        else if (size.Gen1Only && ImageGeneration(requested) == 2)
        {
            fail("image", ValidationRules.VmSizeImageMismatch,
                $"'{vmSize}' boots Generation 1 images only and '{requested.Sku}' is a Generation 2 image; choose a '-gen1' image (e.g. 'server-gen1'), a newer size, or leave image out.");
        }
        else if (size.Gen2Only && ImageGeneration(requested) == 1)
        {
            fail("image", ValidationRules.VmSizeImageMismatch,
                $"'{vmSize}' boots Generation 2 images only and '{requested.Sku}' is a Generation 1 image; choose a Generation 2 image (e.g. 'server') or leave image out.");
        }

        return requested;
    }

    /// <summary>What a size name says (Azure's naming convention: family, vCPUs, feature letters, accelerator,
    /// version; "p" among the features is an Arm64 CPU). Null when the name does not follow it.</summary>
    internal static VmSizeTraits? Parse(string vmSize)
    {
        var match = SizeName().Match(vmSize);
        if (!match.Success)
        {
            return null;
        }

        var family = match.Groups["family"].Value.ToUpperInvariant();
        var features = match.Groups["features"].Value.ToLowerInvariant();
        var version = match.Groups["version"].Success ? int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
        var arm64 = features.Contains('p', StringComparison.Ordinal);

        // Generation 1 only: the A family (generation-2.md, "Not supported size families") and the non-premium Dv2/Dv3
        // series (dv2-series.md, dv3-series.md: "VM Generation Support: Generation 1").
        var gen1Only = family == "A" || (family == "D" && features.Length == 0 && version is 2 or 3);

        // Generation 2 only: Arm64 sizes, and the v6 series (dsv6-series.md: "Generation 1 VMs: Not Supported").
        var gen2Only = arm64 || version >= 6;
        return new VmSizeTraits(arm64, gen1Only && !gen2Only, gen2Only);
    }

    private static bool IsArm64Image(VmImageReference image) =>
        Words(image.Offer).Concat(Words(image.Sku)).Any(w => w is "arm64" or "aarch64" or "arm");

    /// <summary>1 or 2 when the SKU names its generation (<c>-gen1</c>, <c>-gen2</c>, <c>-g2</c>, <c>gensecond</c>), or
    /// it is the default image's Generation 2 <c>server</c>/<c>minimal</c>; 0 when it cannot be told.</summary>
    private static int ImageGeneration(VmImageReference image)
    {
        var words = Words(image.Sku).ToList();
        if (words.Contains("gen1"))
        {
            return 1;
        }

        if (words.Any(w => w is "gen2" or "g2" or "gensecond") || IsArm64Image(image))
        {
            return 2;
        }

        return image.Publisher.Equals("Canonical", StringComparison.OrdinalIgnoreCase)
            && image.Offer.Equals("ubuntu-24_04-lts", StringComparison.OrdinalIgnoreCase)
            && image.Sku.ToLowerInvariant() is "server" or "minimal" ? 2 : 0;
    }

    private static string[] Words(string? text) =>
        (text ?? "").ToLowerInvariant().Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^Standard_(?<family>[A-Za-z]+)(?<cpus>[0-9]+)(?:-[0-9]+)?(?<features>[A-Za-z]*)(?:_(?![vV][0-9]+$)[A-Za-z0-9]+)*(?:_[vV](?<version>[0-9]+))?$")]
    private static partial Regex SizeName();
}
