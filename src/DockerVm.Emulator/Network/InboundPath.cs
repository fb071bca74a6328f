using System.Net;
using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Network;

/// <summary>What Azure evaluates for traffic to one public IP of a VM (<see cref="NsgEvaluator.FindInbound"/>): the
/// subnet's and the NIC's NSG properties (null for an NSG id that names nothing), the NIC's private address, the VNet's space.</summary>
internal sealed record InboundPath(IReadOnlyList<JsonObject?> Nsgs, IPAddress? PrivateIp, IReadOnlyList<IPNetwork> VnetSpace);
