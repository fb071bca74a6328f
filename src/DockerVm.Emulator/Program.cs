using DockerVm.Emulator.Hosting;

return await EmulatorCommand.Create().Parse(args).InvokeAsync();
