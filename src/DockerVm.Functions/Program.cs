using DockerVm.Api;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Thin host: ASP.NET Core integration for the HTTP triggers, and the same registrations the local host uses.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddDockerVmApi();
builder.Build().Run();
