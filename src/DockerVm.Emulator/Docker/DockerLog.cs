namespace DockerVm.Emulator.Docker;

/// <summary>Logs of the emulated network in front of the daemons, of their handshakes and of the in-VM check (event ids 1040–1049).</summary>
internal static partial class DockerLog
{
    [LoggerMessage(EventId = 1040, Level = LogLevel.Information, Message = "Connection from {Source} to {Endpoint} dropped by the VM's network security groups")]
    public static partial void ConnectionDropped(ILogger logger, System.Net.IPEndPoint endpoint, System.Net.EndPoint? source);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Information, Message = "In-VM Docker check of {Endpoint}: {Outcome}")]
    public static partial void Verified(ILogger logger, System.Net.IPEndPoint endpoint, string outcome);

    [LoggerMessage(EventId = 1042, Level = LogLevel.Information, Message = "Client certificate from {Source} refused by the Docker daemon on {Endpoint} (bad_certificate alert)")]
    public static partial void ClientCertificateRefused(ILogger logger, System.Net.IPEndPoint endpoint, System.Net.EndPoint? source);

    [LoggerMessage(EventId = 1043, Level = LogLevel.Information, Message = "Plain HTTP from {Source} to the Docker TLS port {Endpoint} answered with 400")]
    public static partial void PlainHttpRefused(ILogger logger, System.Net.IPEndPoint endpoint, System.Net.EndPoint? source);
}
