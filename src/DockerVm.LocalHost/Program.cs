using DockerVm.Api;
using DockerVm.LocalHost;
using DockerVm.LocalHost.Demo;

// The demo's stand-in for a caller's webhook endpoint ships with the host so that ./run.sh needs nothing else.
if (args is [CallbackReceiver.CommandName, ..])
{
    return await CallbackReceiver.RunCommandAsync(args[1..]);
}

// Like `func start`: local.settings.json (or the sample) supplies the Functions app's settings as environment variables.
LocalSettings.ApplyToEnvironment();

// Content root = the app's folder (its appsettings.json), whatever directory it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddDockerVmLocalHost();

var app = builder.Build();
app.MapDockerVmApi();
await app.RunAsync();
return 0;
