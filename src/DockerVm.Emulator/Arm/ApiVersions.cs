namespace DockerVm.Emulator.Arm;

/// <summary>
/// Stable api-versions Azure publishes for the types the emulator serves (newest first, as provider metadata lists
/// them), so older and newer SDKs and command-line tools work, not only the .NET SDK pinned here.
/// </summary>
internal static class ApiVersions
{
    public static readonly IReadOnlyList<string> Resources =
    [
        "2025-03-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-07-01", "2022-09-01", "2021-04-01",
        "2021-01-01", "2020-10-01", "2020-08-01", "2020-06-01", "2019-10-01", "2019-08-01", "2019-07-01",
        "2019-05-10", "2019-05-01",
    ];

    public static readonly IReadOnlyList<string> Subscriptions =
    [
        "2022-12-01", "2021-01-01", "2020-01-01", "2019-11-01", "2019-06-01", "2016-06-01",
    ];

    public static readonly IReadOnlyList<string> Compute =
    [
        "2025-04-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-09-01", "2023-07-01", "2023-03-01",
        "2022-11-01", "2022-08-01", "2022-03-01", "2021-11-01", "2021-07-01", "2021-04-01", "2021-03-01",
    ];

    public static readonly IReadOnlyList<string> Disks =
    [
        "2025-01-02", "2024-03-02", "2023-10-02", "2023-04-02", "2023-01-02", "2022-07-02", "2022-03-02",
        "2021-12-01", "2021-08-01", "2021-04-01",
    ];

    public static readonly IReadOnlyList<string> Network =
    [
        "2025-05-01", "2025-03-01", "2025-01-01", "2024-10-01", "2024-07-01", "2024-05-01", "2024-03-01",
        "2024-01-01", "2023-11-01", "2023-09-01", "2023-06-01", "2023-05-01", "2023-04-01", "2023-02-01",
        "2022-11-01", "2022-09-01", "2022-07-01", "2022-05-01", "2022-01-01", "2021-08-01", "2021-05-01",
        "2021-03-01", "2021-02-01", "2020-11-01",
    ];

    public static readonly IReadOnlyList<string> KeyVault =
    [
        "2026-04-01", "2025-07-01", "7.6", "7.5", "7.4", "7.3", "7.2", "7.1", "7.0",
    ];

    public static bool Contains(IReadOnlyList<string> versions, string version) =>
        versions.Contains(version, StringComparer.OrdinalIgnoreCase);
}
