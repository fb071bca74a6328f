using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using DockerVm.EndToEnd.Tests.Infrastructure;
using StandardWebhooks;
using Xunit.Abstractions;

namespace DockerVm.EndToEnd.Tests;

/// <summary>
/// A hostile-but-realistic client against the local stack, door by door: malformed and walk-around inputs over REST,
/// the signed webhook and the queue. Nothing invalid may be scheduled, nothing may answer 5xx, no answer may carry a
/// stack trace or key material (the base class then scans every store and log for key material). Prints its counts.
/// </summary>
[Collection(LocalStackCollectionDefinition.Name)]
public sealed class HostileClientProbeTests(LocalStackFixture stack, ITestOutputHelper output) : LocalStackTest(stack)
{
    private static readonly string PrivateKeyPem = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();

    private int _inputs;
    private int _serverErrors;
    private readonly List<string> _wrongAnswers = [];
    private readonly List<string> _leaks = [];

    [Fact]
    public async Task Probe_HostileInputsOnEveryDoor_No5xxNothingInvalidScheduledAndNoLeak()
    {
        var name = Stack.NewVmName("probe");
        var before = (await Stack.ListAllAsync()).Count;

        foreach (var (label, body) in HostileBodies(name))
        {
            await ExpectAsync(label, Post("docker-vms", body), HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge);
        }

        foreach (var contentType in new[] { "text/plain", "application/merge-patch+json", "application/cloudevents+json", "application/x-www-form-urlencoded", "application/json; charset=utf-16" })
        {
            await ExpectAsync($"content-type {contentType}", Post("docker-vms", Stack.NewRequest(name).ToJsonString(), contentType), HttpStatusCode.UnsupportedMediaType);
        }

        foreach (var key in new[] { "spaces not allowed", new string('k', 101), "a/b", "k;drop" })
        {
            var message = Post("docker-vms", Stack.NewRequest(name).ToJsonString());
            message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            await ExpectAsync($"idempotency key '{key[..Math.Min(key.Length, 12)]}'", message, HttpStatusCode.BadRequest);
        }

        foreach (var query in new[] { "pageSize=0", "pageSize=101", "pageSize=abc", "continuationToken=garbage", "continuationToken=v1.AAAA.BBBB", "continuationToken=%00%01", "continuationToken=" + new string('A', 4000) })
        {
            await ExpectAsync($"list ?{query[..Math.Min(query.Length, 30)]}", new HttpRequestMessage(HttpMethod.Get, "docker-vms?" + query), HttpStatusCode.BadRequest);
        }

        foreach (var id in new[] { "nope", "dockervm-..%2F..%2Fetc", new string('x', 2000), "dockervm-" + name + ".rg-docker" })
        {
            await ExpectAsync($"get {id[..Math.Min(id.Length, 20)]}", new HttpRequestMessage(HttpMethod.Get, "docker-vms/" + id), HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
            await ExpectAsync($"delete {id[..Math.Min(id.Length, 20)]}", new HttpRequestMessage(HttpMethod.Delete, "docker-vms/" + id), HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        }

        await ProbeWebhooksAsync(name);
        var poisoned = await ProbeQueueAsync(name);

        var scheduled = (await Stack.ListAllAsync()).Where(s => s["name"]?.GetValue<string>()?.StartsWith(name, StringComparison.Ordinal) == true).ToList();
        output.WriteLine($"inputs {_inputs}, 5xx {_serverErrors}, wrong answers {_wrongAnswers.Count}, leaks {_leaks.Count}, queue messages poisoned {poisoned}, instances scheduled by invalid input {scheduled.Count}, instances before {before}");
        foreach (var wrong in _wrongAnswers.Concat(_leaks))
        {
            output.WriteLine("  " + wrong);
        }

        Assert.Equal(0, _serverErrors);
        Assert.Empty(_wrongAnswers);
        Assert.Empty(_leaks);
        Assert.Empty(scheduled);
    }

    private IEnumerable<(string Label, string Body)> HostileBodies(string name)
    {
        JsonObject Valid() => Stack.NewRequest(name, withCallback: false);
        string With(string field, JsonNode? value)
        {
            var request = Valid();
            request[field] = value;
            return request.ToJsonString();
        }

        yield return ("empty", "");
        yield return ("null", "null");
        yield return ("array", "[]");
        yield return ("number", "42");
        yield return ("truncated", Valid().ToJsonString()[..40]);
        yield return ("comment", "/* x */" + Valid().ToJsonString());
        yield return ("trailing comma", Valid().ToJsonString()[..^1] + ",}");
        yield return ("deep nesting", new string('[', 5000) + new string(']', 5000));
        yield return ("300 KiB", With("tags", new JsonObject { ["big"] = new string('x', 300 * 1024) }));
        yield return ("number in string", With("dockerPort", "2377"));
        yield return ("case-variant name", Valid().ToJsonString().Replace("\"name\"", "\"Name\"", StringComparison.Ordinal));
        yield return ("duplicate key", Valid().ToJsonString()[..^1] + ",\"name\":\"other\"}");
        yield return ("unknown field", With("bogus", 1));
        yield return ("misspelt field", Valid().ToJsonString().Replace("allowedSourceCidrs", "allowedSourceCidr", StringComparison.Ordinal));
        yield return ("name too long", With("name", new string('a', 80)));
        yield return ("name with dot", With("name", "a.b"));
        yield return ("reserved admin", With("adminUsername", "root"));
        yield return ("private key as ssh key", With("sshPublicKey", PrivateKeyPem));
        yield return ("ecdsa ssh key", With("sshPublicKey", "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEl me"));
        foreach (var cidrs in new[] { new[] { "0.0.0.0/0" }, ["0.0.0.0/1", "128.0.0.0/1"], ["::/1", "8000::/1"], ["2001:db8::/32"], ["*"], ["Internet"], ["10.0.0.1/8"], ["300.1.1.1/32"], [], ["1.0.0.0/8", "2.0.0.0/8"] })
        {
            yield return ($"cidrs {string.Join(',', cidrs)}", With("allowedSourceCidrs", new JsonArray([.. cidrs.Select(c => JsonValue.Create(c))])));
        }

        foreach (var option in new[] { "-DH=tcp://0.0.0.0:2375", "-DDH=tcp://0.0.0.0:2375", "--host=tcp://0.0.0.0:2375", "-H", "--tlsverify=false", "--config-file=/tmp/x", "--icc=true", "--iptables=false", "--insecure-registry=10.0.0.0/8", "--data-root=/", "--userns-remap=", "-G=docker" })
        {
            yield return ($"daemon option {option}", With("daemonOptions", new JsonArray(option, "tcp://0.0.0.0:2375")));
        }

        foreach (var port in new[] { 0, 22, 65536, -1 })
        {
            yield return ($"docker port {port}", With("dockerPort", port));
        }

        foreach (var url in new[] { "http://169.254.169.254/latest", "file:///etc/passwd", "ftp://example.com/", "https://user:pass@example.com/" })
        {
            yield return ($"callback {url}", With("callback", new JsonObject { ["url"] = url }));
        }

        yield return ("certificate validity 10000 days", With("certificates", new JsonObject { ["validityDays"] = 10000 }));
        yield return ("unknown installer", With("installer", "curlPipeBash"));
    }

    private async Task ProbeWebhooksAsync(string name)
    {
        var secret = new StandardWebhook(Stack.WebhookSecret);
        var other = new StandardWebhook("whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var payload = new JsonObject
        {
            ["type"] = "dockerhost.provision.requested",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["data"] = JsonNode.Parse(Stack.NewRequest(name, withCallback: false).ToJsonString().Replace("\"name\"", "\"Name\"", StringComparison.Ordinal)),
        }.ToJsonString();
        var now = DateTimeOffset.UtcNow;

        await ExpectAsync("webhook unsigned", Webhook(payload, "msg_a", now, null), HttpStatusCode.Unauthorized);
        await ExpectAsync("webhook other secret", Webhook(payload, "msg_b", now, other.Sign("msg_b", now, payload)), HttpStatusCode.Unauthorized);
        await ExpectAsync("webhook stale", Webhook(payload, "msg_c", now.AddHours(-1), secret.Sign("msg_c", now.AddHours(-1), payload)), HttpStatusCode.Unauthorized);
        await ExpectAsync("webhook bogus list", Webhook(payload, "msg_d", now, "v1,AAAA v1a,BBBB v2,CCCC"), HttpStatusCode.Unauthorized);

        // Signed, so verified; the body breaks the contract: 400, and the id stays free for the corrected request.
        await ExpectAsync("webhook signed, case-variant data", Webhook(payload, "msg_e", now, $"{other.Sign("msg_e", now, payload)} {secret.Sign("msg_e", now, payload)}"), HttpStatusCode.BadRequest);
    }

    private async Task<int> ProbeQueueAsync(string name)
    {
        var queue = new QueueClient(Stack.Azurite.ConnectionString, Stack.RequestQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var request = Stack.NewRequest(name, withCallback: false);
        string With(string field, JsonNode? value)
        {
            var copy = request.DeepClone().AsObject();
            copy[field] = value;
            return copy.ToJsonString();
        }

        string[] messages =
        [
            "garbage " + name,
            With("bogus", 1),
            With("sshPublicKey", PrivateKeyPem),
            With("dockerPort", "2377"),
            With("daemonOptions", new JsonArray("-DH=tcp://0.0.0.0:2375")),
            With("allowedSourceCidrs", new JsonArray("0.0.0.0/1", "128.0.0.0/1")),
            With("clientSecret", "s3cr3t-" + name),
        ];
        foreach (var message in messages)
        {
            _inputs++;
            await queue.SendMessageAsync(message);
        }

        // Every message is final, so each lands in the poison queue once; count them by the name they carry.
        var poison = new QueueClient(Stack.Azurite.ConnectionString, Stack.RequestQueueName + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var count = 0;
        while (DateTime.UtcNow < deadline)
        {
            var records = await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList() : [];
            var mine = records.Where(r => r.Contains(name, StringComparison.Ordinal)).ToList();
            count = mine.Count;
            if (count == messages.Length)
            {
                _leaks.AddRange(mine.Where(r => r.Contains("PRIVATE KEY", StringComparison.Ordinal) || r.Contains("s3cr3t-", StringComparison.Ordinal)).Select(_ => "poison record holds a secret"));
                break;
            }

            await Task.Delay(250);
        }

        if (count != messages.Length)
        {
            _wrongAnswers.Add($"queue: {count} of {messages.Length} invalid messages poisoned");
        }

        return count;
    }

    private static HttpRequestMessage Post(string path, string body, string contentType = "application/json") =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, new System.Net.Http.Headers.MediaTypeHeaderValue(contentType.Split(';')[0]) { CharSet = contentType.Contains("charset=", StringComparison.Ordinal) ? contentType.Split("charset=")[1] : null }) };

    private static HttpRequestMessage Webhook(string payload, string id, DateTimeOffset at, string? signatures)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "webhooks/docker-vms") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        message.Headers.Add("webhook-id", id);
        message.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (signatures is not null)
        {
            message.Headers.Add("webhook-signature", signatures);
        }

        return message;
    }

    private async Task ExpectAsync(string label, HttpRequestMessage message, params HttpStatusCode[] expected)
    {
        _inputs++;
        using (message)
        {
            using var response = await Stack.Api.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                _serverErrors++;
            }

            if (!expected.Contains(response.StatusCode))
            {
                _wrongAnswers.Add($"{label}: {(int)response.StatusCode}, expected {string.Join('/', expected.Select(e => (int)e))}");
            }

            if (body.Contains("PRIVATE KEY", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
            {
                _leaks.Add($"{label}: the answer carries key material or a stack trace");
            }
        }
    }
}
