using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Conversation;
using Bot.Core.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Channels.Slack;

/// <summary>
/// What the bot does with the Events API events it subscribes to: text typed to it (a direct message, or a mention in a
/// channel) is read like a command, as in Teams; opening the app's Home tab publishes it.
/// </summary>
public static partial class SlackEvents
{
    /// <summary>Commands are short; a pasted log is cut before it is read.</summary>
    public const int MaxTypedText = 3000;

    public static async ValueTask DispatchAsync(ChannelWorkQueue<SlackOptions> queue, JsonObject e, CancellationToken ct)
    {
        var user = e.Str("user");
        // Other bots (and the bot itself) are never answered, so two bots cannot talk to each other forever.
        if (user is null || e.Str("bot_id") is not null) return;
        switch (e.Str("type"))
        {
            case "app_mention" when e.Str("channel") is { } channel && e.Str("ts") is { } ts:
                // Answered in the thread of the mention (or the thread it was written in).
                await TypedAsync(queue, user, SlackChannel.InThread(channel, e.Str("thread_ts") ?? ts), e.Str("text"), ct);
                break;
            // A person's own message in the bot's direct messages: edits, deletions and other subtypes are not commands.
            case "message" when e.Str("channel_type") == "im" && e.Str("subtype") is null && e.Str("channel") is { } dm:
                await TypedAsync(queue, user, dm, e.Str("text"), ct);
                break;
            case "app_home_opened" when e.Str("tab") is null or "home":
                await queue.EnqueueAsync("app_home_opened", (sp, token) => sp.GetRequiredService<SlackAppHome>().PublishAsync(user, token), ct);
                break;
        }
    }

    private static async ValueTask TypedAsync(ChannelWorkQueue<SlackOptions> queue, string user, string where, string? text, CancellationToken ct)
    {
        var typed = Plain(text);
        var command = Command.Parse(typed) ?? new Command("help", "");
        var interaction = new Interaction(SlackChannel.ChannelKind, new Actor(user, user), new ConversationAddress(SlackChannel.ChannelKind, where),
            SlackChannel.TypedToken(command));
        await queue.RunCommandAsync(interaction, command, ct);
    }

    /// <summary>
    /// Slack's message text as a person wrote it: mentions of the bot at the start dropped, other mentions, channels and
    /// links written out (<c>&lt;https://x|label&gt;</c> as "label (https://x)"), and Slack's three escapes undone.
    /// </summary>
    public static string Plain(string? text)
    {
        var s = Bot.Core.Conversation.Plain.Limit(text ?? "", MaxTypedText);
        s = LeadingMentions().Replace(s, "");
        s = Links().Replace(s, m => m.Groups[1].Value switch
        {
            var target when target.StartsWith('@') => target,
            var target when target.StartsWith('#') => m.Groups[2].Success ? "#" + m.Groups[2].Value : target,
            var target when target.StartsWith('!') => "@" + target[1..].Split('^')[0],
            var target => m.Groups[2].Success ? $"{m.Groups[2].Value} ({target})" : target,
        });
        return WebUtility.HtmlDecode(s).Trim();
    }

    [GeneratedRegex(@"^\s*(<@[A-Z0-9]+>\s*)+")]
    private static partial Regex LeadingMentions();

    [GeneratedRegex(@"<([^>|]+)(?:\|([^>]*))?>")]
    private static partial Regex Links();
}
