namespace Bot.Channels.Slack;

/// <summary>
/// The app's shortcuts (<c>features.shortcuts</c> in the manifest), by callback id, and the command each one runs. A new
/// flow with a "from this message" entry adds a line here and one in the manifest.
/// </summary>
public static class SlackShortcuts
{
    /// <summary>Message shortcuts: the command runs with the message's text and a link back to it.</summary>
    public static readonly IReadOnlyDictionary<string, string> OnMessage = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["escalate_message"] = "escalate",
        ["propose_experiment_message"] = "propose-experiment",
    };

    /// <summary>Global shortcuts, from the shortcuts menu: the command runs with no text.</summary>
    public static readonly IReadOnlyDictionary<string, string> Global = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["escalate"] = "escalate",
    };

    /// <summary>The message's permalink, or none when Slack will not give one (the form opens all the same).</summary>
    public static async Task<string?> PermalinkAsync(SlackApiClient api, string channel, string ts, CancellationToken ct)
    {
        try
        {
            return await api.PermalinkAsync(channel, ts, ct) is { } link && Uri.TryCreate(link, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
                ? link
                : null;
        }
        catch (Exception e) when (e is SlackApiException or SlackPermanentException)
        {
            return null;
        }
    }
}
