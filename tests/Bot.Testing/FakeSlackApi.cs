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
    // Slack's ts is its server's clock in microseconds: wall-clock time, as the bot's history reads expect.
    private long _ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    private long _views;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(Func<JsonObject, bool> Which, Func<HttpResponse, Task> Answer)>> _scripted = new();

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

    /// <summary>The Socket Mode server <c>apps.connections.open</c> points to, when one is started.</summary>
    public FakeSlackSocketMode? SocketMode { get; set; }

    public IEnumerable<Call> Of(string method) => Calls.Where(c => c.Method == method);

    /// <summary>The next call of <paramref name="method"/> is answered 429 with <c>Retry-After</c>.</summary>
    public void RateLimitNext(string method, int retryAfterSeconds) =>
        _scripted.GetOrAdd(method, _ => new()).Enqueue((_ => true, async response =>
        {
            response.StatusCode = (int)HttpStatusCode.TooManyRequests;
            response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = "ratelimited" });
        }));

    /// <summary>
    /// The next <c>chat.postMessage</c> (<paramref name="which"/> matches its body) is posted (it is in the conversation's history) but its connection drops
    /// before the answer: what a crash or a timeout right after Slack accepted a post looks like to the bot.
    /// </summary>
    public void PostThenDropNext(Func<JsonObject, bool>? which = null) =>
        _dropAfterPosting.Enqueue(which ?? (_ => true));

    private readonly ConcurrentQueue<Func<JsonObject, bool>> _dropAfterPosting = new();

    /// <summary>Messages posted per conversation, as <c>conversations.history</c> returns them (metadata included).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _history = new();

    /// <summary>The next call of <paramref name="method"/> is answered with <paramref name="reply"/>, as given.</summary>
    public void AnswerNext(string method, JsonObject reply) =>
        _scripted.GetOrAdd(method, _ => new()).Enqueue((_ => true, response => response.WriteAsJsonAsync(reply)));

    /// <summary>The next call of <paramref name="method"/> (that <paramref name="which"/> matches) is answered <c>ok:false</c> with <paramref name="error"/>.</summary>
    public void FailNext(string method, string error, Func<JsonObject, bool>? which = null) =>
        _scripted.GetOrAdd(method, _ => new()).Enqueue((which ?? (_ => true), response => response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = error })));

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
        if (_scripted.TryGetValue(method, out var queue) && queue.TryPeek(out var next) && next.Which(body) && queue.TryDequeue(out var scripted))
        {
            Calls.Enqueue(new Call(method, authorization, body, null, DateTimeOffset.UtcNow));
            await scripted.Answer(context.Response);
            return;
        }
        if (method == "apps.connections.open")
        {
            // Authorized by the app-level token only; a bot token is refused as Slack refuses it.
            JsonObject opened = SocketMode is null ? new() { ["ok"] = false, ["error"] = "not_allowed_token_type" }
                : authorization != $"Bearer {FakeSlackSocketMode.AppToken}" ? new() { ["ok"] = false, ["error"] = "invalid_auth" }
                : new() { ["ok"] = true, ["url"] = SocketMode.NextUrl() };
            Calls.Enqueue(new Call(method, authorization, body, opened, DateTimeOffset.UtcNow));
            await context.Response.WriteAsJsonAsync(opened);
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
            "chat.postMessage" => Post(body),
            "conversations.history" => History(body),
            "conversations.replies" => Replies(body),
            "chat.update" => new() { ["channel"] = body["channel"]?.GetValue<string>(), ["ts"] = body["ts"]?.GetValue<string>() },
            "chat.postEphemeral" => new() { ["message_ts"] = NextTs() },
            "chat.getPermalink" => new()
            {
                ["channel"] = body["channel"]?.ToString(),
                ["permalink"] = $"https://example.slack.com/archives/{body["channel"]}/p{body["message_ts"]?.ToString().Replace(".", "", StringComparison.Ordinal)}",
            },
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
        if (method == "chat.postMessage" && _dropAfterPosting.TryPeek(out var drop) && drop(body) && _dropAfterPosting.TryDequeue(out _))
        {
            // Posted, but the bot never hears so: recorded without a reply.
            Calls.Enqueue(new Call(method, authorization, body, null, DateTimeOffset.UtcNow));
            context.Abort();
            return;
        }
        Calls.Enqueue(new Call(method, authorization, body, reply, DateTimeOffset.UtcNow));
        await context.Response.WriteAsJsonAsync(reply);
    }

    private JsonObject Post(JsonObject body)
    {
        var channel = body["channel"]?.GetValue<string>() ?? "";
        var ts = NextTs();
        var message = new JsonObject { ["type"] = "message", ["ts"] = ts, ["bot_id"] = "B0BOT", ["text"] = body["text"]?.DeepClone() };
        if (body["metadata"] is JsonObject metadata) message["metadata"] = metadata.DeepClone();
        if (body["thread_ts"] is JsonValue thread) message["thread_ts"] = thread.DeepClone();
        _history.GetOrAdd(channel, _ => new()).Enqueue(message);
        return new JsonObject { ["channel"] = channel, ["ts"] = ts };
    }

    /// <summary>
    /// Newest first, from <c>oldest</c> on; metadata only when <c>include_all_metadata</c> is set, as Slack does. Replies
    /// in threads are not a channel's history (<c>conversations.replies</c> reads them).
    /// </summary>
    private JsonObject History(JsonObject body) =>
        Messages(body, m => m["thread_ts"] is null, newestFirst: true);

    /// <summary>A thread (<c>ts</c>): its parent message and its replies, oldest first, as <c>conversations.replies</c> answers.</summary>
    private JsonObject Replies(JsonObject body)
    {
        var thread = body["ts"]?.ToString() ?? "";
        return Messages(body, m => m["ts"]!.GetValue<string>() == thread || m["thread_ts"]?.ToString() == thread, newestFirst: false);
    }

    private JsonObject Messages(JsonObject body, Func<JsonObject, bool> which, bool newestFirst)
    {
        var channel = body["channel"]?.GetValue<string>() ?? "";
        var oldest = decimal.TryParse(body["oldest"]?.ToString(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0m;
        var withMetadata = body["include_all_metadata"] is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : v.ToString() is "true" or "1");
        var messages = new JsonArray();
        var posted = (_history.TryGetValue(channel, out var all) ? all.ToArray() : []).Where(which)
            .Where(m => decimal.Parse(m["ts"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= oldest);
        foreach (var m in newestFirst ? posted.Reverse() : posted)
        {
            var copy = (JsonObject)m.DeepClone();
            if (!withMetadata) copy.Remove("metadata");
            messages.Add(copy);
        }
        return new JsonObject { ["messages"] = messages, ["has_more"] = false };
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
