using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>
/// Slack over Socket Mode (on when <see cref="SlackOptions.AppToken"/> is set): the bot opens WebSocket connections to
/// Slack (<c>apps.connections.open</c>) and receives in envelopes what the HTTP endpoints would receive, handled by the
/// same <see cref="SlackInbound"/> and acknowledged by envelope id, with the answer's payload where Slack takes one.
/// Several connections stay open, so one being replaced leaves no gap; a redelivered envelope meets the same dedupe as a
/// retried HTTP request. On shutdown no new envelope is taken (Slack delivers it to another connection), and the ones
/// taken are finished and acknowledged before the connections close.
/// </summary>
public sealed partial class SlackSocketMode(IOptions<SlackOptions> options, IServiceScopeFactory scopes, TimeProvider clock, ILogger<SlackSocketMode> logger)
    : BackgroundService, IDrainOnShutdown
{
    private readonly TimeProvider _clock = clock;
    private readonly ILogger _logger = logger;
    private readonly int _maxMessageBytes = options.Value.MaxBodyBytes;

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private int _open;

    /// <summary>Connections open and greeted by Slack right now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    public DrainStage Stage => DrainStage.Intake;

    /// <summary>Stops taking envelopes; the ones taken are finished and acknowledged, then the connections close.</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => StopAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.SocketMode || !o.Enabled) return;
        LogStarting(_logger, o.SocketConnections);
        await Task.WhenAll(Enumerable.Range(1, o.SocketConnections).Select(slot => KeepConnectedAsync(slot, stoppingToken)));
    }

    /// <summary>One connection slot: connected, replaced when Slack asks, reconnected with backoff when dropped.</summary>
    private async Task KeepConnectedAsync(int slot, CancellationToken stop)
    {
        Connection? current = null;
        try
        {
            current = await ConnectAsync(slot, stop);
            while (current is not null)
            {
                var reason = await current.Ended.WaitAsync(stop);
                switch (reason)
                {
                    case "link_disabled":
                        // Socket Mode was turned off for the app: no reconnect can succeed until someone turns it on again.
                        LogLinkDisabled(_logger, slot);
                        return;
                    case "refresh_requested" or "warning":
                        // Make before break: the new connection is greeted before the old one closes.
                        LogRefreshing(_logger, slot, reason);
                        var next = await ConnectAsync(slot, stop);
                        await current.CloseAsync();
                        current = next;
                        break;
                    default:
                        LogDropped(_logger, slot);
                        await current.CloseAsync();
                        current = null;
                        current = await ConnectAsync(slot, stop);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (SlackPermanentException e)
        {
            LogCannotConnect(_logger, slot, e.Error);
        }
        finally
        {
            if (current is not null) await current.CloseAsync();
        }
    }

    /// <summary>A greeted connection; failures are retried after a wait that doubles up to the configured maximum.</summary>
    private async Task<Connection> ConnectAsync(int slot, CancellationToken stop)
    {
        for (var attempt = 0; ; attempt++)
        {
            Connection? connection = null;
            try
            {
                Uri url;
                await using (var scope = scopes.CreateAsyncScope())
                    url = await scope.ServiceProvider.GetRequiredService<SlackApiClient>().OpenConnectionAsync(stop);
                connection = new Connection(this, slot);
                await connection.OpenAsync(url, stop);
                LogConnected(_logger, slot);
                return connection;
            }
            catch (Exception e)
            {
                if (connection is not null) await connection.CloseAsync();
                if (stop.IsCancellationRequested || e is SlackPermanentException) throw;
                var delay = Backoff(attempt);
                LogConnectFailed(_logger, slot, e.GetType().Name, SlackPermanentException.CodeOf(e) ?? e.Message, delay);
                await Task.Delay(delay, _clock, stop);
            }
        }
    }

    /// <summary>1 s, 2 s, 4 s, … up to the maximum, each between 80 % and 100 %, so replicas do not reconnect in step.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var max = options.Value.SocketReconnectMaxDelay;
        var full = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempt, 20)), max.TotalSeconds));
        return full * (0.8 + 0.2 * Random.Shared.NextDouble());
    }

    private async Task<JsonObject?> HandleAsync(string type, JsonNode? payload)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        // Not cancellable: an envelope taken is handled to its end and acknowledged, or it is redelivered.
        var answer = (type, payload) switch
        {
            ("slash_commands", JsonObject fields) => await SlackInbound.CommandAsync(services, Fields(fields), CancellationToken.None),
            ("interactive", JsonObject interaction) => await SlackInbound.InteractAsync(services, interaction, CancellationToken.None),
            ("events_api", JsonObject callback) => await SlackInbound.EventAsync(services, callback),
            _ => SlackInbound.Answer.NotReadable,
        };
        if (answer.Unreadable) LogUnreadable(_logger, type);
        return answer.Body;
    }

    /// <summary>A slash command's fields: in Socket Mode a JSON object of the form fields the HTTP request would carry.</summary>
    private static Dictionary<string, string> Fields(JsonObject payload) =>
        payload.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValueKind() == JsonValueKind.String
            ? kv.Value.GetValue<string>()
            : kv.Value.ToJsonString());

    /// <summary>One WebSocket to Slack: its reader, its in-flight envelopes, and how it ended.</summary>
    private sealed class Connection(SlackSocketMode owner, int slot)
    {
        private readonly ClientWebSocket _socket = new();
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<Task, bool> _handling = new();
        private readonly Lock _gate = new();
        private bool _draining;
        private Task _reading = Task.CompletedTask;
        private bool _greeted;
        private int _closed;

        /// <summary>Why it ended: Slack's disconnect reason, or <c>dropped</c>.</summary>
        public Task<string> Ended => _ended.Task;

        public async Task OpenAsync(Uri url, CancellationToken ct)
        {
            await _socket.ConnectAsync(url, ct);
            _reading = Task.Run(ReadAsync, CancellationToken.None);
            await _hello.Task.WaitAsync(HelloTimeout, owner._clock, ct);
            _greeted = true;
            Interlocked.Increment(ref owner._open);
        }

        private async Task ReadAsync()
        {
            var limit = owner._maxMessageBytes;
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    if (message.Length + result.Count <= limit) message.Write(buffer, 0, result.Count);
                    else message.SetLength(limit + 1);
                    if (!result.EndOfMessage) continue;
                    if (message.Length > limit) LogOversized(owner._logger, slot, limit);
                    else if (result.MessageType == WebSocketMessageType.Text) Receive(SlackPayloads.Json(message.ToArray()));
                    message.SetLength(0);
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The connection dropped; the slot reconnects.
            }
            finally
            {
                _hello.TrySetException(new WebSocketException("The connection closed before Slack said hello"));
                _ended.TrySetResult("dropped");
            }
        }

        private void Receive(JsonObject? message)
        {
            switch (message?.Str("type"))
            {
                case null:
                    LogUnreadable(owner._logger, "message");
                    return;
                case "hello":
                    _hello.TrySetResult();
                    return;
                case "disconnect":
                    _ended.TrySetResult(message.Str("reason") ?? "warning");
                    return;
            }
            if (message.Str("envelope_id") is not { Length: > 0 } envelopeId) return;
            var accepts = message["accepts_response_payload"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
            lock (_gate)
            {
                // Taken only while this connection is taking work; left unacknowledged otherwise, so Slack delivers it again.
                if (_draining) return;
                var handling = Task.Run(() => HandleAsync(envelopeId, message.Str("type")!, message["payload"], accepts));
                _handling[handling] = true;
                handling.ContinueWith(t => _handling.TryRemove(t, out _), TaskScheduler.Default);
            }
        }

        private async Task HandleAsync(string envelopeId, string type, JsonNode? payload, bool acceptsPayload)
        {
            try
            {
                var body = await owner.HandleAsync(type, payload);
                var ack = new JsonObject { ["envelope_id"] = envelopeId };
                if (body is not null && acceptsPayload) ack["payload"] = body;
                await SendAsync(ack);
            }
            catch (Exception e)
            {
                // Not acknowledged: Slack delivers the envelope again, and the dedupe keeps a second effect away.
                LogEnvelopeFailed(owner._logger, e, slot, type);
            }
        }

        private async Task SendAsync(JsonObject message)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
            await _sending.WaitAsync();
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _sending.Release();
            }
        }

        /// <summary>Stops taking envelopes, lets the taken ones finish and acknowledge, then closes.</summary>
        public async Task CloseAsync()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return;
            Task[] taken;
            lock (_gate)
            {
                _draining = true;
                taken = _handling.Keys.ToArray();
            }
            if (_greeted) Interlocked.Decrement(ref owner._open);
            try
            {
                await Task.WhenAll(taken);
                if (_socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(CloseTimeout);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", timeout.Token);
                    await _reading.WaitAsync(CloseTimeout);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
            {
                // Closing a connection that is already gone.
            }
            finally
            {
                _socket.Abort();
                _socket.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: keeping {Count} connections open")]
    private static partial void LogStarting(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connection {Slot} is open")]
    private static partial void LogConnected(ILogger logger, int slot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connection {Slot} is being replaced ({Reason})")]
    private static partial void LogRefreshing(ILogger logger, int slot, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Slot} dropped; reconnecting")]
    private static partial void LogDropped(ILogger logger, int slot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Slot} could not open ({Kind}: {Reason}); trying again in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, int slot, string kind, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Slack Socket Mode connection {Slot} stopped: Slack disabled the link (link_disabled). Turn Socket Mode on for the app and restart the bot")]
    private static partial void LogLinkDisabled(ILogger logger, int slot);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Slack Socket Mode connection {Slot} stopped: Slack refused the app-level token ({Error}). Check Slack:AppToken and its connections:write scope")]
    private static partial void LogCannotConnect(ILogger logger, int slot, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode {What} could not be read; acknowledged and left")]
    private static partial void LogUnreadable(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Slot} dropped a message over {Limit} bytes")]
    private static partial void LogOversized(ILogger logger, int slot, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode {Type} envelope on connection {Slot} failed; left for Slack to deliver again")]
    private static partial void LogEnvelopeFailed(ILogger logger, Exception ex, int slot, string type);
}
