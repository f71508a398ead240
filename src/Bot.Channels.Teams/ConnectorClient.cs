using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

/// <summary>The conversation is gone or the bot was removed (403/404): record it on the address, do not retry.</summary>
public sealed class ConversationUnavailableException(HttpStatusCode status, string? code)
    : Bot.Core.Conversation.ChannelUnavailableException($"Teams answered {(int)status} {code}: the conversation is unavailable to the bot.")
{
    public HttpStatusCode Status { get; } = status;
    public string? Code { get; } = code;
}

/// <summary>The message to update is gone (deleted in Teams); nothing to retry, and the conversation itself is fine.</summary>
public sealed class MessageGoneException(string code) : Bot.Core.Conversation.ChannelUnavailableException($"Teams answered {code}: the message is gone.");

/// <summary>
/// Bot Connector v3 calls against an activity's <c>serviceUrl</c>: reply, send, update, create a 1:1 conversation.
/// A bot token is only ever sent to a service URL on the allow list. 429/412/502/503/504 are retried by the
/// resilience pipeline (Retry-After honoured); 403/404 become <see cref="ConversationUnavailableException"/>.
/// </summary>
public sealed class ConnectorClient(HttpClient http, IBotTokenProvider tokens, IOptions<TeamsOptions> options, TeamsCardSeal seal)
{
    public Task<string> ReplyAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, serviceUrl, conversationId, Activity(conversationId, activityId), activity, ct);

    /// <summary>A reply whose activity JSON was serialized once and is reused (help cards).</summary>
    public async Task<string> ReplyAsync(Uri serviceUrl, string conversationId, string activityId, byte[] activityJson, CancellationToken ct)
    {
        var content = new ByteArrayContent(activityJson);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return (await CallAsync(HttpMethod.Post, serviceUrl, Activity(conversationId, activityId), content, ct))?["id"]?.GetValue<string>() ?? "";
    }

    public Task<string> SendToConversationAsync(Uri serviceUrl, string conversationId, JsonObject activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, serviceUrl, conversationId, Conversation(conversationId) + "/activities", activity, ct);

    public Task<string> UpdateAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, serviceUrl, conversationId, Activity(conversationId, activityId), activity, ct);

    /// <summary>Creates (or finds) the 1:1 conversation with a user, for proactive messages; returns its id.</summary>
    public Task<string> CreateConversationAsync(Uri serviceUrl, string userId, string tenantId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, serviceUrl, null, "v3/conversations", new JsonObject
        {
            ["bot"] = new JsonObject { ["id"] = "28:" + options.Value.AppId },
            ["members"] = new JsonArray(new JsonObject { ["id"] = userId }),
            ["isGroup"] = false,
            ["tenantId"] = tenantId,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } },
        }, ct);

    /// <summary>One member of a conversation, with the <c>aadObjectId</c>, <c>email</c> and <c>userPrincipalName</c> Teams adds.</summary>
    public Task<JsonObject?> GetMemberAsync(Uri serviceUrl, string conversationId, string memberId, CancellationToken ct) =>
        CallAsync(HttpMethod.Get, serviceUrl, Conversation(conversationId) + "/members/" + Uri.EscapeDataString(memberId), null, ct);

    private static string Conversation(string conversationId) => "v3/conversations/" + Uri.EscapeDataString(conversationId);

    private static string Activity(string conversationId, string activityId) => Conversation(conversationId) + "/activities/" + Uri.EscapeDataString(activityId);

    private async Task<string> SendAsync(HttpMethod method, Uri serviceUrl, string? conversationId, string path, JsonObject body, CancellationToken ct)
    {
        // Every card leaves sealed, whoever built it, for the conversation it goes to.
        await seal.SealAsync(body, conversationId, ct);
        return (await CallAsync(method, serviceUrl, path, JsonContent.Create(body), ct))?["id"]?.GetValue<string>() ?? "";
    }

    private async Task<JsonObject?> CallAsync(HttpMethod method, Uri serviceUrl, string path, HttpContent? content, CancellationToken ct)
    {
        if (!options.Value.MaySendTokenTo(serviceUrl))
            throw new InvalidOperationException($"Refusing to send a bot token to {serviceUrl.Host}: not in Teams:AllowedServiceUrlHosts.");
        var baseUrl = new Uri(serviceUrl.AbsoluteUri.EndsWith('/') ? serviceUrl.AbsoluteUri : serviceUrl.AbsoluteUri + "/");
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(ct));
        using var response = await http.SendAsync(request, ct);
        var answer = await ReadAsync(response, ct);
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            var code = answer?["error"]?["code"] is JsonValue v && v.TryGetValue<string>(out var c) ? c : null;
            throw code switch
            {
                // The message was deleted: this update is over, the conversation is fine.
                "ActivityNotFoundInConversation" => new MessageGoneException(code),
                // A government-cloud tenant: not permanent, the service URL must change.
                "InvalidBotApiHost" => new HttpRequestException($"Teams answered {(int)response.StatusCode} {code}.", null, response.StatusCode),
                _ => new ConversationUnavailableException(response.StatusCode, code),
            };
        }
        response.EnsureSuccessStatusCode();
        return answer;
    }

    /// <summary>The JSON body, or null when there is none (an empty 200, a proxy's HTML error page).</summary>
    private static async Task<JsonObject?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
