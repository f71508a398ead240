using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Storage;

namespace Bot.Channels.Teams;

/// <summary>
/// Teams hands a card's action data back exactly as the bot sent it, but through the client, unsigned: a person with
/// the right tools could change a form's owner, nonce or state, or a button's value. Every card the bot sends has its
/// actions' data sealed with an HMAC under a key kept in the database (the same on every host), and data that comes
/// back is trusted only when its seal matches. Inputs the client adds to the data are not sealed; flows check those.
/// </summary>
public sealed class TeamsCardSeal(InstallationIdentity installation)
{
    public const string Field = "seal";

    /// <summary>What the bot put in an action's data and reads back as its own.</summary>
    private static readonly string[] Sealed = ["formId", "state", "context", "actionId", "value"];

    /// <summary>
    /// Seals the data of every Action.Submit and Action.Execute in <paramref name="node"/> (an activity, a card, an invoke
    /// answer), bound to the conversation it is sent to: the same data sent back from another conversation is not the
    /// bot's. Without a conversation (help cards, serialized once for every conversation) the seal is unbound.
    /// </summary>
    public async Task SealAsync(JsonNode? node, string? conversationId, CancellationToken ct)
    {
        var actions = new List<JsonObject>();
        Collect(node, actions);
        if (actions.Count == 0) return;
        var key = await KeyAsync(ct);
        foreach (var data in actions) data[Field] = Seal(key, data, conversationId);
    }

    /// <summary>
    /// Whether <paramref name="data"/>, sent back from <paramref name="conversationId"/>, is as the bot sent it: sealed,
    /// and the seal matches, for this conversation (or for none). Data that carries nothing the bot would read (a plain
    /// message) needs no seal.
    /// </summary>
    public async Task<bool> VerifyAsync(JsonObject? data, string? conversationId, CancellationToken ct)
    {
        if (data is null || !Sealed.Any(data.ContainsKey)) return true;
        if (data[Field] is not JsonValue v || !v.TryGetValue<string>(out var seal)) return false;
        var key = await KeyAsync(ct);
        var given = Encoding.ASCII.GetBytes(seal);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Seal(key, data, conversationId)), given)
               | CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Seal(key, data, null)), given);
    }

    private async Task<byte[]> KeyAsync(CancellationToken ct) => Convert.FromHexString(await installation.SecretAsync("teams-card-seal", ct));

    /// <summary>
    /// The conversation a card lives in: a channel thread's id carries <c>;messageid=…</c> of its first message (a card
    /// posted as a new thread comes back from its own thread), so only the channel counts.
    /// </summary>
    private static string? Where(string? conversationId) => conversationId is null ? null : TeamsActivity.Base(conversationId);

    private static string Seal(byte[] key, JsonObject data, string? conversationId)
    {
        var canonical = new StringBuilder();
        if (Where(conversationId) is { } where) canonical.Append("conversation=").Append(where).Append('\n');
        foreach (var field in Sealed)
        {
            canonical.Append(field).Append('=');
            Canonical(data[field], canonical);
            canonical.Append('\n');
        }
        return System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>JSON with object keys in ordinal order, so a client that reorders properties does not break the seal.</summary>
    private static void Canonical(JsonNode? node, StringBuilder into)
    {
        switch (node)
        {
            case null:
                into.Append("null");
                break;
            case JsonObject o:
                into.Append('{');
                var first = true;
                foreach (var (name, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) into.Append(',');
                    first = false;
                    into.Append(System.Text.Json.JsonSerializer.Serialize(name)).Append(':');
                    Canonical(value, into);
                }
                into.Append('}');
                break;
            case JsonArray a:
                into.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) into.Append(',');
                    Canonical(a[i], into);
                }
                into.Append(']');
                break;
            default:
                into.Append(node.ToJsonString());
                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonObject> into)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type is "Action.Submit" or "Action.Execute" && o["data"] is JsonObject data)
                    into.Add(data);
                foreach (var (_, child) in o) Collect(child, into);
                break;
            case JsonArray a:
                foreach (var child in a) Collect(child, into);
                break;
        }
    }
}
