using DockerVm.Api;
using DockerVm.ServiceDefaults;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Thin host: ASP.NET Core integration for the HTTP triggers, and the same registrations the local host uses.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddDockerVmApi();

// The worker's OpenTelemetry defaults (function invocation spans, Azure resource attributes), then the shared service defaults.
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.AddDockerVmServiceDefaults("DockerVm.Functions");
builder.Build().Run();
