using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing;

/// <summary>
/// Slack's Socket Mode on loopback (Kestrel WebSockets), as documented: the URL <c>apps.connections.open</c> hands out
/// (answered by <see cref="FakeSlackApi"/> for <see cref="AppToken"/>), a <c>hello</c> on connect, envelopes
/// (<c>slash_commands</c>, <c>interactive</c>, <c>events_api</c>) sent round-robin over the open connections, acknowledgements
/// read back by envelope id, <c>disconnect</c> messages and dropped sockets on demand.
/// </summary>
public sealed class FakeSlackSocketMode : IAsyncDisposable
{
    public const string AppToken = "xapp-1-A0BOT-1-test-app-token";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, Link> _links = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _acks = new();
    private int _nextLink;
    private int _turn;

    private FakeSlackSocketMode(WebApplication app) => _app = app;

    /// <summary>Where <c>apps.connections.open</c> points (ws://127.0.0.1:port/link/).</summary>
    public Uri Url { get; private init; } = null!;

    /// <summary>Connections opened so far, ever.</summary>
    public int Opened => Volatile.Read(ref _nextLink);

    /// <summary>Connections open now.</summary>
    public int Open => _links.Count;

    /// <summary>Every acknowledgement received, in order.</summary>
    public ConcurrentQueue<JsonObject> Acks { get; } = new();

    private sealed record Link(int Id, WebSocket Socket, SemaphoreSlim Sending);

    public static async Task<FakeSlackSocketMode> StartAsync(FakeSlackApi api)
    {
        FakeSlackSocketMode? fake = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/link", (HttpContext context) => fake!.AcceptAsync(context));
        });
        fake = new FakeSlackSocketMode(app) { Url = new Uri($"ws://{address.Authority}/link/") };
        api.SocketMode = fake;
        return fake;
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || context.Request.Query["ticket"].Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var link = new Link(Interlocked.Increment(ref _nextLink), socket, new SemaphoreSlim(1, 1));
        _links[link.Id] = link;
        try
        {
            await SendAsync(link, new JsonObject
            {
                ["type"] = "hello", ["num_connections"] = _links.Count,
                ["debug_info"] = new JsonObject { ["host"] = "applink-fake", ["approximate_connection_time"] = 18060 },
                ["connection_info"] = new JsonObject { ["app_id"] = "A0BOT" },
            });
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                if (JsonNode.Parse(message.ToArray()) is JsonObject ack && ack.Str("envelope_id") is { } id)
                {
                    Acks.Enqueue(ack);
                    if (_acks.TryRemove(id, out var waiting)) waiting.TrySetResult(ack);
                }
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _links.TryRemove(link.Id, out _);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> connections are open.</summary>
    public Task WaitForOpenAsync(int count) => Eventually.GetAsync(() => Task.FromResult(Open), n => n >= count, $"{count} Socket Mode connections");

    /// <summary>
    /// Sends an envelope over the next open connection and waits for its acknowledgement (Slack waits 3 s before it
    /// counts a delivery as failed; a test waits longer, as CI machines are slower). Null when none came.
    /// </summary>
    public async Task<JsonObject?> DeliverAsync(string type, JsonObject payload, string? envelopeId = null, int retryAttempt = 0, TimeSpan? wait = null)
    {
        var id = envelopeId ?? Guid.NewGuid().ToString();
        var acked = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[id] = acked;
        var accepts = type == "slash_commands" || payload.Str("type") is "view_submission" or "block_suggestion";
        var envelope = new JsonObject
        {
            ["envelope_id"] = id, ["type"] = type, ["payload"] = payload.DeepClone(), ["accepts_response_payload"] = accepts,
            ["retry_attempt"] = retryAttempt, ["retry_reason"] = retryAttempt > 0 ? "timeout" : "",
        };
        // A connection that closed under the send: Slack sends over another one.
        for (var attempt = 0; ; attempt++)
        {
            var link = await NextLinkAsync();
            try
            {
                await SendAsync(link, envelope);
                break;
            }
            catch (WebSocketException) when (attempt < 5)
            {
                _links.TryRemove(link.Id, out _);
            }
        }
        try
        {
            return await acked.Task.WaitAsync(wait ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            _acks.TryRemove(id, out _);
            return null;
        }
    }

    /// <summary>
    /// Sends <c>disconnect</c> with <paramref name="reason"/> on every open connection (or the one given); as Slack, no
    /// new envelope goes to a connection told to disconnect.
    /// </summary>
    public async Task DisconnectAsync(string reason, int? linkId = null)
    {
        foreach (var link in _links.Values.Where(l => linkId is null || l.Id == linkId))
        {
            _leaving[link.Id] = true;
            await SendAsync(link, new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "applink-fake" } });
        }
    }

    private readonly ConcurrentDictionary<int, bool> _leaving = new();

    /// <summary>Drops a connection without a close handshake, as a network failure would.</summary>
    public void Drop(int linkId)
    {
        if (_links.TryGetValue(linkId, out var link)) link.Socket.Abort();
    }

    public IReadOnlyCollection<int> OpenLinks => _links.Keys.Order().ToArray();

    private async Task<Link> NextLinkAsync()
    {
        var open = await Eventually.GetAsync(() => Task.FromResult(_links.Values.Where(l => !_leaving.ContainsKey(l.Id)).OrderBy(l => l.Id).ToArray()),
            l => l.Length > 0, "a Socket Mode connection to send over");
        return open[(int)((uint)Interlocked.Increment(ref _turn) % open.Length)];
    }

    private static async Task SendAsync(Link link, JsonObject message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await link.Sending.WaitAsync();
        try
        {
            await link.Socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            link.Sending.Release();
        }
    }

    /// <summary>The URL <c>apps.connections.open</c> answers with: a fresh ticket each time.</summary>
    internal string NextUrl() => $"{Url}?ticket={Guid.NewGuid():N}&app_id=A0BOT";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
