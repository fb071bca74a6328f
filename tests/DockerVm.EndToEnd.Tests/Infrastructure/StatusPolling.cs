using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>Follows a status resource on any host's API (each client has its base address at <c>api/</c>).</summary>
public static class StatusPolling
{
    public static async Task WaitForStepAsync(HttpClient api, string id, string step, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var status = await api.GetFromJsonAsync<JsonObject>(new Uri($"docker-vms/{id}", UriKind.Relative));
            if (status?["currentStep"]?.GetValue<string>() == step)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Instance {id} never reached step {step}.");
    }

    /// <summary>Until the run is succeeded or failed; a host that is down meanwhile (being restarted) is waited for.</summary>
    public static async Task<JsonObject> WaitForFinishAsync(HttpClient api, string id, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(api);
        var deadline = DateTime.UtcNow + timeout;
        JsonObject? status = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                status = await api.GetFromJsonAsync<JsonObject>(new Uri($"docker-vms/{id}", UriKind.Relative));
                if (status?["state"]?.GetValue<string>() is "succeeded" or "failed")
                {
                    return status;
                }
            }
            catch (HttpRequestException)
            {
                // The host is restarting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Instance {id} did not finish within {timeout}; last status: {status?.ToJsonString()}");
    }
}
