using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Channels.Slack;

/// <summary>Parsing of Slack's inbound bodies, after the signature was verified.</summary>
public static class SlackPayloads
{
    public static Dictionary<string, string> Form(ReadOnlySpan<byte> body) =>
        QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

    public static bool IsSslCheck(string? contentType, ReadOnlySpan<byte> body) =>
        contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
        && Form(body).TryGetValue("ssl_check", out var v) && v == "1";

    /// <summary>The JSON inside an interactivity request's <c>payload</c> field; null when absent or not JSON.</summary>
    public static JsonObject? Interaction(ReadOnlySpan<byte> body)
    {
        if (!Form(body).TryGetValue("payload", out var payload)) return null;
        try
        {
            return JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonObject? Json(ReadOnlySpan<byte> body)
    {
        // Invalid UTF-8 inside a string parses, then throws when the string is read: such a body is malformed.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return null;
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Str(this JsonNode? node, params string[] path)
    {
        foreach (var step in path) node = node?[step];
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }
}
