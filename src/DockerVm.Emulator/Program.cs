using System.CommandLine;
using DockerVm.Emulator.Hosting;

// On SIGTERM/Ctrl+C the emulator saves its state file and (--docker real) tears its guest sandboxes down while
// stopping: give it time (the default is 2 s).
return await EmulatorCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
