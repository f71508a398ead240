using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Bot.Core.Conversation;
using Bot.Core.Scheduling;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>Slack answered <c>ok:false</c>; <see cref="Error"/> is Slack's error code (e.g. <c>internal_error</c>). Worth retrying.</summary>
public sealed class SlackApiException(string method, string error) : Exception($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;
    public string Error { get; } = error;
}

/// <summary>
/// Slack answered with an error no retry can fix: the conversation is gone or closed to the bot, or the token is
/// dead or lacks a scope. Reminders meeting it give up with the reason instead of retrying forever.
/// </summary>
public sealed class SlackPermanentException(string method, string error)
    : ChannelUnavailableException($"Slack {method} failed for good: {error}")
{
    public static readonly IReadOnlySet<string> Codes = new HashSet<string>(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "account_inactive", "token_revoked", "missing_scope",
    };

    public string Method { get; } = method;
    public string Error { get; } = error;

    /// <summary>Slack's error code of either exception, or null.</summary>
    public static string? CodeOf(Exception e) => e switch { SlackApiException a => a.Error, SlackPermanentException p => p.Error, _ => null };
}

/// <summary>
/// The Slack Web API methods the bot uses, over one typed HttpClient. Retries (429 with Retry-After, 5xx, network)
/// come from the resilience pipeline; posts to one channel are spaced under Slack's ~1 message per second.
/// </summary>
public sealed partial class SlackApiClient(HttpClient http, IOptions<SlackOptions> options, SlackChannelPacer pacer, ILogger<SlackApiClient> logger)
{
    /// <summary>
    /// What the retry policy retries: Slack's transient answers (429, 5xx) always; timeouts and broken connections only
    /// where sending twice does no harm. Not <c>chat.postMessage</c>: Slack may have posted it already.
    /// </summary>
    public static bool ShouldRetry(Polly.Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request) =>
        Microsoft.Extensions.Http.Resilience.HttpClientResiliencePredicates.IsTransient(outcome)
        && !(outcome.Exception is not null && request?.RequestUri?.AbsolutePath.EndsWith("/chat.postMessage", StringComparison.Ordinal) == true);

    /// <summary>The message metadata event type of the bot's tagged posts; the tag travels as <c>event_payload.key</c>.</summary>
    public const string PostEventType = "ops_bot_post";

    public async Task<(string Channel, string Ts)> PostMessageAsync(string channel, JsonArray blocks, string text, CancellationToken ct, string? tag = null,
        string? threadTs = null)
    {
        await pacer.AcquireAsync(channel, ct);
        var body = new JsonObject { ["channel"] = channel, ["text"] = text, ["blocks"] = blocks };
        if (threadTs is not null) body["thread_ts"] = threadTs;
        if (tag is not null) body["metadata"] = new JsonObject { ["event_type"] = PostEventType, ["event_payload"] = new JsonObject { ["key"] = tag } };
        var result = await CallAsync("chat.postMessage", body, ct);
        return (result.Str("channel") ?? channel, result.Str("ts") ?? throw new SlackApiException("chat.postMessage", "missing_ts"));
    }

    /// <summary>
    /// The bot's post tagged <paramref name="tag"/> in <paramref name="channel"/> since <paramref name="since"/>, read from
    /// <c>conversations.history</c> with its metadata (newest first, a few pages at most: a lost send is recent). A reply
    /// in a thread is not in the channel's history: with <paramref name="threadTs"/>, the thread's
    /// <c>conversations.replies</c> are read instead.
    /// </summary>
    public async Task<string?> FindTaggedAsync(string channel, string tag, DateTimeOffset since, CancellationToken ct, string? threadTs = null)
    {
        string? cursor = null;
        for (var page = 0; page < 5; page++)
        {
            var body = new JsonObject
            {
                ["channel"] = channel, ["include_all_metadata"] = true, ["limit"] = 200,
                ["oldest"] = since.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + ".000000",
            };
            if (cursor is not null) body["cursor"] = cursor;
            if (threadTs is not null) body["ts"] = threadTs;
            var result = await CallAsync(threadTs is null ? "conversations.history" : "conversations.replies", body, ct);
            foreach (var message in (result["messages"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (message.Str("metadata", "event_type") == PostEventType && message["metadata"]?["event_payload"].Str("key") == tag)
                    return message.Str("ts");
            }
            cursor = result.Str("response_metadata", "next_cursor");
            if (string.IsNullOrEmpty(cursor) || result["has_more"]?.GetValue<bool>() != true) return null;
        }
        return null;
    }

    /// <summary>Rewrites a post; paced with the channel's posts, so a card refreshed in a storm is updated about once a second, not flooded.</summary>
    public async Task UpdateAsync(string channel, string ts, JsonArray blocks, string text, CancellationToken ct)
    {
        await pacer.AcquireAsync(channel, ct);
        await CallAsync("chat.update", new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["blocks"] = blocks }, ct);
    }

    // Ephemeral answers are limited per method (tier 4), not per channel like posts: not paced here.
    public Task PostEphemeralAsync(string channel, string user, JsonArray blocks, string text, CancellationToken ct, string? threadTs = null)
    {
        var body = new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text, ["blocks"] = blocks };
        if (threadTs is not null) body["thread_ts"] = threadTs;
        return CallAsync("chat.postEphemeral", body, ct);
    }

    public async Task<string> OpenViewAsync(string triggerId, JsonObject view, CancellationToken ct) =>
        (await CallAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, ct)).Str("view", "id") ?? "";

    public Task UpdateViewAsync(string viewId, JsonObject view, string? hash, CancellationToken ct)
    {
        var body = new JsonObject { ["view_id"] = viewId, ["view"] = view };
        if (hash is not null) body["hash"] = hash;
        return CallAsync("views.update", body, ct);
    }

    public Task PublishHomeAsync(string userId, JsonObject view, CancellationToken ct) =>
        CallAsync("views.publish", new JsonObject { ["user_id"] = userId, ["view"] = view }, ct);

    /// <summary>A link that opens a message in Slack (<c>chat.getPermalink</c>, a read method: sent as a form).</summary>
    public async Task<string?> PermalinkAsync(string channel, string ts, CancellationToken ct) =>
        (await CallAsync("chat.getPermalink", new FormUrlEncodedContent(new Dictionary<string, string> { ["channel"] = channel, ["message_ts"] = ts }), ct))
        .Str("permalink");

    /// <summary>The direct-message channel with a user (D…), opened if needed.</summary>
    public async Task<string> OpenDirectChannelAsync(string userId, CancellationToken ct) =>
        (await CallAsync("conversations.open", new JsonObject { ["users"] = userId }, ct)).Str("channel", "id")
        ?? throw new SlackApiException("conversations.open", "missing_channel");

    /// <summary>The workspace the bot token belongs to (<c>auth.test</c>'s <c>team_id</c>).</summary>
    public async Task<string?> AuthTestTeamAsync(CancellationToken ct) => (await CallAsync("auth.test", new JsonObject(), ct)).Str("team_id");

    public async Task<JsonObject?> UserInfoAsync(string userId, CancellationToken ct) =>
        (await CallAsync("users.info", new JsonObject { ["user"] = userId }, ct))["user"] as JsonObject;

    public async Task<JsonObject?> LookupByEmailAsync(string email, CancellationToken ct)
    {
        try
        {
            return (await CallAsync("users.lookupByEmail", new JsonObject { ["email"] = email }, ct))["user"] as JsonObject;
        }
        catch (SlackApiException e) when (e.Error == "users_not_found")
        {
            return null;
        }
    }

    /// <summary>
    /// Shares a text file in a conversation through the external upload flow (<c>files.upload</c> is retired): ask for
    /// an upload URL, send the bytes there, then complete the upload into the conversation.
    /// </summary>
    public async Task UploadFileAsync(string channel, string fileName, string title, byte[] content, CancellationToken ct)
    {
        var ticket = await CallAsync("files.getUploadURLExternal", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["filename"] = fileName, ["length"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
        var fileId = ticket.Str("file_id") ?? throw new SlackApiException("files.getUploadURLExternal", "no_file_id");
        var uploadUrl = ticket.Str("upload_url") is { } u && Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : null;
        // The bytes go where Slack said, and nowhere the bot token could leak to: https, or loopback for tests.
        if (uploadUrl is null || (uploadUrl.Scheme != Uri.UriSchemeHttps && !uploadUrl.IsLoopback))
            throw new SlackApiException("files.getUploadURLExternal", "unexpected_upload_url");
        using (var upload = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = new ByteArrayContent(content) })
        {
            upload.Content.Headers.ContentType = new MediaTypeHeaderValue("text/markdown") { CharSet = "utf-8" };
            using var uploaded = await http.SendAsync(upload, ct);
            uploaded.EnsureSuccessStatusCode();
        }
        await CallAsync("files.completeUploadExternal", new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = fileId, ["title"] = title }),
            ["channel_id"] = channel,
        }, ct);
    }

    /// <summary>
    /// A Socket Mode connection's URL (<c>apps.connections.open</c>, authorized by the app-level token): <c>wss://</c> only,
    /// or <c>ws://</c> to this machine for tests, so the app's traffic never travels in the clear.
    /// </summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken ct)
    {
        var result = await CallAsync("apps.connections.open", new FormUrlEncodedContent([]), ct, options.Value.AppToken);
        return result.Str("url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
               && (uri.Scheme == Uri.UriSchemeWss || (uri.Scheme == Uri.UriSchemeWs && uri.IsLoopback))
            ? uri
            : throw new SlackApiException("apps.connections.open", "unexpected_url");
    }

    public Task<JsonObject> CallAsync(string method, JsonObject body, CancellationToken ct) =>
        CallAsync(method, JsonContent.Create(body, options: null, mediaType: new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }), ct);

    private async Task<JsonObject> CallAsync(string method, HttpContent content, CancellationToken ct, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.ApiBaseUrl, method)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? options.Value.BotToken);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonObject>(ct) ?? throw new SlackApiException(method, "empty_response");
        if (result["ok"]?.GetValue<bool>() == true) return result;

        var error = result.Str("error") ?? "unknown_error";
        LogSlackError(logger, method, error);
        if (SlackPermanentException.Codes.Contains(error)) throw new SlackPermanentException(method, error);
        throw new SlackApiException(method, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered ok:false with {Error}")]
    private static partial void LogSlackError(ILogger logger, string method, string error);
}

/// <summary>
/// Spaces the starts of posts and updates per channel by at least <see cref="SlackOptions.PostInterval"/>, so a burst of
/// reminders is paced rather than rejected; other channels are not held up. Wall-clock time: it paces calls to a real
/// remote API. A channel's queue is kept shorter than half the claim lease (<see cref="SchedulingOptions.ClaimLease"/>):
/// a send still waiting for its turn when its claim lapsed could be taken over and sent twice, so beyond that the send
/// fails at once and is retried later, looking for its post first.
/// </summary>
public sealed class SlackChannelPacer(IOptions<SlackOptions> options, IOptions<SchedulingOptions> scheduling)
{
    private const int QueueLimit = 1000;
    private readonly ConcurrentDictionary<string, Pace> _channels = new(StringComparer.Ordinal);

    private sealed class Pace
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public long NextAt;
        public int Waiting;
    }

    /// <summary>How many sends may wait for one channel: at most 1000, and fewer than half a claim lease of turns.</summary>
    public int Limit
    {
        get
        {
            var interval = Math.Max(options.Value.PostInterval.TotalSeconds, 0.001);
            return (int)Math.Clamp(scheduling.Value.ClaimLease.TotalSeconds / 2 / interval, 1, QueueLimit);
        }
    }

    /// <summary>Waits for the channel's next turn to post or update.</summary>
    public async ValueTask AcquireAsync(string channel, CancellationToken ct)
    {
        var pace = _channels.GetOrAdd(channel, _ => new Pace());
        if (Interlocked.Increment(ref pace.Waiting) > Limit)
        {
            Interlocked.Decrement(ref pace.Waiting);
            throw new SlackApiException("chat.postMessage", "local_post_queue_full");
        }
        try
        {
            await pace.Turn.WaitAsync(ct);
            try
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), pace.NextAt);
                if (pace.NextAt > Stopwatch.GetTimestamp()) await Task.Delay(wait, ct);
                pace.NextAt = Stopwatch.GetTimestamp() + (long)(options.Value.PostInterval.TotalSeconds * Stopwatch.Frequency);
            }
            finally
            {
                pace.Turn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref pace.Waiting);
        }
    }
}
