using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Conversation;
using Bot.Core.Inbound;

namespace Bot.Channels.Teams;

/// <summary>
/// The parts of an inbound Bot Framework activity the bot uses, read from the JSON once the token is valid.
/// Conversation ids of channel threads carry <c>;messageid=…</c>; <see cref="BaseConversationId"/> is the channel itself.
/// </summary>
public sealed partial record TeamsActivity(JsonObject Json)
{
    public string? Type => Json.At("type");
    public string? Id => Json.At("id");
    public string? Name => Json.At("name");
    public string? ChannelId => Json.At("channelId");
    public string? ServiceUrl => Json.At("serviceUrl");
    public string? ReplyToId => Json.At("replyToId");
    public string? Text => Json.At("text");
    public string? Action => Json.At("action");
    public JsonNode? Value => Json["value"];

    /// <summary>The <c>value</c> when it is an object (card data, invoke payloads); null for anything else.</summary>
    public JsonObject? ValueObject => Json["value"] as JsonObject;

    public string? ConversationId => Json.At("conversation", "id");
    public string? TenantId => Json.At("conversation", "tenantId") ?? Json.At("channelData", "tenant", "id");
    public string? TeamId => Json.At("channelData", "team", "id");
    public string? TeamName => Json.At("channelData", "team", "name");
    public string? BotId => Json.At("recipient", "id");

    /// <summary>The user: their "29:" id, display name and AAD object id (the stable id people are resolved by).</summary>
    public string? FromId => Json.At("from", "id");
    public string FromName => Json.At("from", "name") ?? FromId ?? "someone";
    public string? FromAadObjectId => Json.At("from", "aadObjectId");

    /// <summary>The id people are known by: the AAD object id (Teams always sends it for people), else the "29:" id, which never matches a person.</summary>
    public string? UserId => FromAadObjectId ?? FromId;

    public const string TeamsChannelId = "msteams";

    public ConversationKind Kind => Json.At("conversation", "conversationType") switch
    {
        "personal" => ConversationKind.Direct,
        "channel" => ConversationKind.Channel,
        "groupChat" => ConversationKind.Group,
        _ => Json["conversation"]?["isGroup"] is JsonValue g && g.TryGetValue<bool>(out var isGroup) && isGroup ? ConversationKind.Group : ConversationKind.Direct,
    };

    public string? BaseConversationId => ConversationId is { } id ? Base(id) : null;

    public ConversationAddress Where => new(TeamsChannel.ChannelKind, ConversationId ?? "", ServiceUrl, TenantId);

    public Actor Actor => new(UserId ?? "", FromName);

    public IEnumerable<string> MembersAdded => Ids("membersAdded");
    public IEnumerable<string> MembersRemoved => Ids("membersRemoved");

    /// <summary>The typed text without the bot's @mention (<c>&lt;at&gt;Bot&lt;/at&gt; escalate …</c> becomes <c>escalate …</c>).</summary>
    public string CommandText()
    {
        var text = Text ?? "";
        if (Json["entities"] is JsonArray entities)
        {
            foreach (var mention in entities.OfType<JsonObject>().Where(e => e.At("type") == "mention" && e.At("mentioned", "id") == BotId))
            {
                if (mention.At("text") is { Length: > 0 } at) text = text.Replace(at, " ", StringComparison.Ordinal);
            }
        }
        // Mentions Teams did not list as entities, and the HTML it sometimes leaves around text.
        text = AtTag().Replace(text, " ");
        text = System.Net.WebUtility.HtmlDecode(HtmlTag().Replace(text, " "));
        return string.Join(' ', text.Split([' ', '\t', '\r', '\n', '\u00a0'], StringSplitOptions.RemoveEmptyEntries));
    }

    public static string Base(string conversationId)
    {
        var cut = conversationId.IndexOf(";messageid=", StringComparison.Ordinal);
        return cut < 0 ? conversationId : conversationId[..cut];
    }

    public static TeamsActivity? Parse(ReadOnlySpan<byte> body) => InboundBody.ParseObject(body) is { } json ? new TeamsActivity(json) : null;

    private IEnumerable<string> Ids(string property) =>
        Json[property] is JsonArray members ? members.OfType<JsonObject>().Select(m => m.At("id")).OfType<string>() : [];

    [GeneratedRegex(@"<at>[^<]*</at>", RegexOptions.IgnoreCase)]
    private static partial Regex AtTag();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();
}

public static class TeamsJson
{
    /// <summary>The string at a path of property names, or null when any step is missing or not a string.</summary>
    public static string? At(this JsonNode? node, params string[] path)
    {
        foreach (var step in path) node = node is JsonObject o ? o[step] : null;
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }
}
