namespace DockerVm.Emulator.Compute;

/// <summary>VM sizes and platform images the emulator knows (a realistic subset of Azure's catalog).</summary>
internal static class ComputeCatalog
{
    public static readonly IReadOnlyList<string> Sizes =
    [
        "Standard_B1ls", "Standard_B1s", "Standard_B1ms", "Standard_B2s", "Standard_B2ms", "Standard_B4ms", "Standard_B8ms",
        "Standard_B2ats_v2", "Standard_B2als_v2", "Standard_B2as_v2", "Standard_B4als_v2", "Standard_B2pts_v2", "Standard_B2pls_v2",
        "Standard_B2ts_v2", "Standard_B2ls_v2", "Standard_B2s_v2", "Standard_B4s_v2",
        "Standard_D2s_v3", "Standard_D4s_v3", "Standard_D8s_v3", "Standard_D2_v3", "Standard_D4_v3",
        "Standard_D2s_v4", "Standard_D4s_v4", "Standard_D2ds_v4",
        "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D8s_v5", "Standard_D16s_v5", "Standard_D2ds_v5", "Standard_D4ds_v5",
        "Standard_D2as_v5", "Standard_D4as_v5", "Standard_D2ads_v5", "Standard_D2ps_v5", "Standard_D4ps_v5",
        "Standard_D2s_v6", "Standard_D4s_v6", "Standard_D2as_v6", "Standard_D2ads_v6",
        "Standard_DS1_v2", "Standard_DS2_v2", "Standard_DS3_v2", "Standard_D1_v2", "Standard_D2_v2",
        "Standard_E2s_v5", "Standard_E4s_v5", "Standard_F2s_v2", "Standard_F4s_v2", "Standard_A1_v2", "Standard_A2_v2",
    ];

    /// <summary>publisher:offer -> skus.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Images = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Canonical:ubuntu-24_04-lts"] = ["server", "server-gen1", "server-arm64", "minimal", "minimal-gen1", "cvm", "ubuntu-pro"],
        ["Canonical:0001-com-ubuntu-server-jammy"] = ["22_04-lts", "22_04-lts-gen2", "22_04-lts-arm64"],
        ["Canonical:0001-com-ubuntu-minimal-jammy"] = ["minimal-22_04-lts", "minimal-22_04-lts-gen2"],
        ["Canonical:0001-com-ubuntu-server-focal"] = ["20_04-lts", "20_04-lts-gen2", "20_04-lts-arm64"],
        ["Canonical:UbuntuServer"] = ["18.04-LTS", "18_04-lts-gen2"],
        ["Debian:debian-12"] = ["12", "12-gen2", "12-arm64"],
        ["Debian:debian-11"] = ["11", "11-gen2", "11-backports-gen2"],
        ["RedHat:RHEL"] = ["9-lvm-gen2", "9_4", "8-lvm-gen2", "8_10"],
        ["almalinux:almalinux-x86_64"] = ["9-gen2", "8-gen2"],
        ["MicrosoftCBLMariner:azure-linux-3"] = ["azure-linux-3", "azure-linux-3-gen2"],
        ["SUSE:sles-15-sp6"] = ["gen2", "gen1"],
        ["kinvolk:flatcar-container-linux-free"] = ["stable", "stable-gen2"],
        ["MicrosoftWindowsServer:WindowsServer"] = ["2022-datacenter-azure-edition", "2022-datacenter-g2", "2019-datacenter-gensecond", "2025-datacenter-azure-edition"],
    };

    /// <summary>Usernames Azure refuses for the VM administrator.</summary>
    public static readonly IReadOnlySet<string> ReservedUserNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser",
        "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
        "support_388945a0", "sys", "test2", "test3", "user4", "user5",
    };

    public static bool IsKnownImage(string publisher, string offer, string sku) =>
        Images.TryGetValue($"{publisher}:{offer}", out var skus) && skus.Contains(sku, StringComparer.OrdinalIgnoreCase);

    public static bool IsWindows(string publisher) => publisher.Equals("MicrosoftWindowsServer", StringComparison.OrdinalIgnoreCase);
}
