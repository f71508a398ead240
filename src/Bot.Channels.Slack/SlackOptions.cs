using Bot.Core.Conversation;
namespace Bot.Channels.Slack;

/// <summary>
/// The <c>Slack</c> section. Slack is on with a bot token and a way in: the signing secret (HTTP endpoints Slack calls) or an
/// app-level token (Socket Mode: the bot connects out to Slack, and the HTTP endpoints are off).
/// </summary>
public sealed class SlackOptions : IWorkQueueSettings
{
    public const string Section = "Slack";

    public string? SigningSecret { get; set; }
    public string? BotToken { get; set; }

    /// <summary>App-level token (<c>xapp-…</c>, scope <c>connections:write</c>): when set, Slack is spoken over Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>Socket Mode connections kept open at once (Slack allows 10), so one reconnecting leaves no gap.</summary>
    public int SocketConnections { get; set; } = 2;

    /// <summary>Longest wait between attempts to reconnect a dropped Socket Mode connection (the wait doubles up to it).</summary>
    public TimeSpan SocketReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Web API base; tests point it at a loopback fake.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>How far a request's timestamp may be from now (Slack: 5 minutes).</summary>
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest request body accepted; Slack's own payloads are far smaller.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Spacing of posts to one channel, under Slack's ~1 message per second.</summary>
    public TimeSpan PostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Acknowledged work waiting for a worker; beyond it, acknowledgements wait (backpressure).</summary>
    public int WorkQueueCapacity { get; set; } = 500;

    /// <summary>Workers running acknowledged work (mostly waiting on Slack's Web API).</summary>
    public int Workers { get; set; } = 6;

    public bool SocketMode => !string.IsNullOrWhiteSpace(AppToken);

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken) && (SocketMode || !string.IsNullOrWhiteSpace(SigningSecret));

    /// <summary>The signed HTTP endpoints: on unless Socket Mode replaces them.</summary>
    public bool HttpEnabled => Enabled && !SocketMode;
}
