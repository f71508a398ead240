using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Conversation;

namespace Bot.Channels.Teams;

/// <summary>
/// The app's message actions (<c>composeExtensions</c> commands of type <c>action</c> with context <c>message</c> in the
/// manifest), by command id, and the command each one runs with the message it was started from.
/// </summary>
public static partial class TeamsMessageActions
{
    public static readonly IReadOnlyDictionary<string, string> Commands = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["escalateMessage"] = "escalate",
        ["proposeExperimentMessage"] = "propose-experiment",
    };

    /// <summary>Commands read at most this much of a message.</summary>
    public const int MaxText = 3000;

    /// <summary>The message's text: its HTML body as plain text (line breaks kept, tags dropped, entities decoded).</summary>
    public static string Text(JsonObject? message)
    {
        var body = message.At("body", "content") ?? "";
        if (message.At("body", "contentType") is "html")
        {
            body = LineBreaks().Replace(body, "\n");
            body = Tags().Replace(body, "");
            body = System.Net.WebUtility.HtmlDecode(body);
        }
        body = string.Join('\n', body.ReplaceLineEndings("\n").Split('\n').Select(l => l.Replace('\u00a0', ' ').Trim())).Trim();
        return Plain.Limit(body, MaxText);
    }

    /// <summary>
    /// The message as a source: its link (https only) and where a reply in its thread goes. A channel message is replied
    /// to in its thread (<c>…;messageid=&lt;root&gt;</c>); a chat has no threads, so the reply goes to the chat.
    /// </summary>
    public static SourceMessage Source(TeamsActivity a, JsonObject? message)
    {
        var link = message.At("linkToMessage") is { } l && Uri.TryCreate(l, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps ? l : null;
        ConversationAddress? thread = null;
        if (a.BaseConversationId is { } conversation)
        {
            var root = message.At("replyToId") is { Length: > 0 } parent ? parent : message.At("id");
            var id = a.Kind == ConversationKind.Channel && root is { Length: > 0 } ? $"{conversation};messageid={root}" : conversation;
            thread = new ConversationAddress(TeamsChannel.ChannelKind, id, a.ServiceUrl, a.TenantId);
        }
        return new SourceMessage(link, thread);
    }

    [GeneratedRegex(@"<br\s*/?>|</p>|</div>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();
}
