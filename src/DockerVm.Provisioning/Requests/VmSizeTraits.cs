namespace DockerVm.Provisioning.Requests;

/// <summary>What a VM size's name says about the images it boots.</summary>
/// <param name="IsArm64">An Arm64 CPU: it boots Arm64 images only.</param>
/// <param name="Gen1Only">It cannot boot Generation 2 images.</param>
/// <param name="Gen2Only">It cannot boot Generation 1 images.</param>
internal sealed record VmSizeTraits(bool IsArm64, bool Gen1Only, bool Gen2Only);
