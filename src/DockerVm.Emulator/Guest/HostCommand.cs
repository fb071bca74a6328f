using System.Diagnostics;

namespace DockerVm.Emulator.Guest;

/// <summary>Runs a program of the host (ip, nsenter, iptables-save) with a minimal environment and a deadline.</summary>
internal static class HostCommand
{
    public const string Path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static async Task<GuestCommandResult> RunAsync(
        string file, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = StartInfo(file, arguments, redirectInput: true) };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            process.StartInfo.Environment[name] = value;
        }

        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            }
        }
        catch (IOException)
        {
            // The program exited without reading everything; its exit code says why.
        }
        finally
        {
            process.StandardInput.Close();
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new GuestCommandResult(-1, await stdout, await stderr + $"\n{file}: killed after {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        return new GuestCommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and throws <see cref="GuestSandboxException"/> unless the program exits 0.</summary>
    public static async Task<string> RunCheckedAsync(string file, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        var result = await RunAsync(file, list, stdin, timeout, cancellationToken: cancellationToken);
        return result.Succeeded ? result.Stdout : throw new GuestSandboxException($"{file} {string.Join(' ', list)} failed with {result.Describe()}");
    }

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, bool redirectInput)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing of the emulator's environment (tokens, secrets paths, DOTNET_*) leaks into the guest.
        info.Environment.Clear();
        info.Environment["PATH"] = Path;
        info.Environment["LANG"] = "C.UTF-8";
        return info;
    }
}
