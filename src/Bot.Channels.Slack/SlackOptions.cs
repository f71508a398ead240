using Bot.Core.Conversation;
namespace Bot.Channels.Slack;

/// <summary>The <c>Slack</c> section. The Slack endpoints are on only when both secrets are set.</summary>
public sealed class SlackOptions : IWorkQueueSettings
{
    public const string Section = "Slack";

    public string? SigningSecret { get; set; }
    public string? BotToken { get; set; }

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

    public bool Enabled => !string.IsNullOrWhiteSpace(SigningSecret) && !string.IsNullOrWhiteSpace(BotToken);
}
