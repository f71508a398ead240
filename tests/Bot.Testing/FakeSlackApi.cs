using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing;

/// <summary>
/// Slack's Web API on loopback: answers <c>POST /api/{method}</c> as Slack does (HTTP 200 with ok:true/false,
/// 429 with Retry-After when told to) and records every call with its bearer token and JSON body.
/// </summary>
public sealed class FakeSlackApi : IAsyncDisposable
{
    public const string Token = "xoxb-test-token";

    private readonly WebApplication _app;
    private long _ts = 1_700_000_000_000_100;
    private long _views;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpResponse, Task>>> _scripted = new();

    private FakeSlackApi(WebApplication app) => _app = app;

    private Uri _address = null!;
    private long _files;

    /// <summary>Bytes sent to the upload URLs <c>files.getUploadURLExternal</c> handed out, by file id.</summary>
    public ConcurrentDictionary<string, byte[]> Uploads { get; } = new();

    public sealed record Call(string Method, string? Authorization, JsonObject Body, JsonObject? Reply, DateTimeOffset At);

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>The bot's workspace, as <c>auth.test</c> reports it; users are of it unless <see cref="HomeTeams"/> says otherwise.</summary>
    public const string Team = "T0TEAM";

    /// <summary>The home workspace users.info reports for Slack Connect users, by Slack user id.</summary>
    public ConcurrentDictionary<string, string> HomeTeams { get; } = new();

    /// <summary>Emails users.info reports, by Slack user id.</summary>
    public ConcurrentDictionary<string, string> Emails { get; } = new();
    public Uri ApiBaseUrl { get; private init; } = null!;

    public IEnumerable<Call> Of(string method) => Calls.Where(c => c.Method == method);

    /// <summary>The next call of <paramref name="method"/> is answered 429 with <c>Retry-After</c>.</summary>
    public void RateLimitNext(string method, int retryAfterSeconds) =>
        _scripted.GetOrAdd(method, _ => new()).Enqueue(async response =>
        {
            response.StatusCode = (int)HttpStatusCode.TooManyRequests;
            response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = "ratelimited" });
        });

    /// <summary>The next call of <paramref name="method"/> is answered <c>ok:false</c> with <paramref name="error"/>.</summary>
    public void FailNext(string method, string error) =>
        _scripted.GetOrAdd(method, _ => new()).Enqueue(response => response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = error }));

    public static async Task<FakeSlackApi> StartAsync()
    {
        FakeSlackApi? fake = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/api/{method}", (string method, HttpContext context) => fake!.HandleAsync(method, context));
            app.MapPost("/upload/{fileId}", async (string fileId, HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                fake!.Uploads[fileId] = body.ToArray();
                return Results.Text("OK - " + body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            });
        });
        fake = new FakeSlackApi(app) { ApiBaseUrl = new Uri(address, "api/"), _address = address };
        return fake;
    }

    private async Task HandleAsync(string method, HttpContext context)
    {
        // Slack takes JSON for most methods and only form fields for some (files.getUploadURLExternal).
        var body = context.Request.HasFormContentType
            ? new JsonObject((await context.Request.ReadFormAsync()).Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.ToString()))))
            : await context.Request.ReadFromJsonAsync<JsonObject>() ?? [];
        string? authorization = context.Request.Headers.Authorization;
        if (_scripted.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted))
        {
            Calls.Enqueue(new Call(method, authorization, body, null, DateTimeOffset.UtcNow));
            await scripted(context.Response);
            return;
        }
        if (authorization != $"Bearer {Token}")
        {
            Calls.Enqueue(new Call(method, authorization, body, null, DateTimeOffset.UtcNow));
            await context.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = "invalid_auth" });
            return;
        }

        JsonObject reply = method switch
        {
            "chat.postMessage" => new() { ["channel"] = body["channel"]?.GetValue<string>(), ["ts"] = NextTs() },
            "chat.update" => new() { ["channel"] = body["channel"]?.GetValue<string>(), ["ts"] = body["ts"]?.GetValue<string>() },
            "chat.postEphemeral" => new() { ["message_ts"] = NextTs() },
            "views.open" or "views.update" or "views.publish" => new() { ["view"] = new JsonObject { ["id"] = "V" + Interlocked.Increment(ref _views), ["hash"] = "h" } },
            "conversations.open" => new() { ["channel"] = new JsonObject { ["id"] = "D" + body["users"]?.GetValue<string>() } },
            "users.info" => UserInfo(body["user"]?.GetValue<string>() ?? ""),
            "auth.test" => new() { ["url"] = "https://example.slack.com/", ["team"] = "Example", ["team_id"] = Team, ["user_id"] = "U0BOT", ["bot_id"] = "B0BOT" },
            "files.getUploadURLExternal" when method == "files.getUploadURLExternal" && !context.Request.HasFormContentType =>
                new() { ["ok"] = false, ["error"] = "invalid_arguments" },
            "files.getUploadURLExternal" => UploadTicket(),
            "files.completeUploadExternal" => new() { ["files"] = body["files"]?.DeepClone() },
            _ => new() { ["ok"] = false, ["error"] = "unknown_method" },
        };
        if (!reply.ContainsKey("ok")) reply.Insert(0, "ok", true);
        Calls.Enqueue(new Call(method, authorization, body, reply, DateTimeOffset.UtcNow));
        await context.Response.WriteAsJsonAsync(reply);
    }

    private JsonObject UserInfo(string id) => new()
    {
        ["user"] = new JsonObject
        {
            ["id"] = id, ["name"] = id, ["tz"] = "Europe/Berlin", ["team_id"] = HomeTeams.GetValueOrDefault(id, Team),
            ["profile"] = Emails.TryGetValue(id, out var email) ? new JsonObject { ["email"] = email } : new JsonObject(),
        },
    };

    private JsonObject UploadTicket()
    {
        var id = "F" + Interlocked.Increment(ref _files).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject { ["upload_url"] = new Uri(_address, "upload/" + id).AbsoluteUri, ["file_id"] = id };
    }

    private string NextTs()
    {
        var n = Interlocked.Increment(ref _ts);
        return $"{n / 1_000_000}.{n % 1_000_000:D6}";
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
