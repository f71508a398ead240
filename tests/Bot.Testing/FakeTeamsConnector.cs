using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing;

/// <summary>
/// The Bot Connector and its token endpoint on loopback: issues a client-credentials token, answers the
/// <c>/v3/conversations/…</c> routes as Teams does (ids for new activities, one 1:1 conversation per user, members
/// with their AAD id and email) and records every call with its bearer token and body.
/// </summary>
public sealed class FakeTeamsConnector : IAsyncDisposable
{
    public const string BotToken = "teams-bot-token";
    private readonly WebApplication _app;
    private long _ids = 1_700_000_000_000;
    private readonly ConcurrentQueue<(int Status, string Code, string? RetryAfter)> _scripted = new();
    private readonly ConcurrentDictionary<string, (int Status, string Code)> _refused = new();

    private FakeTeamsConnector(WebApplication app, Uri address)
    {
        _app = app;
        ServiceUrl = address;
        TokenEndpoint = new Uri(address, "botframework.com/oauth2/v2.0/token");
    }

    /// <summary>The base every activity names as its <c>serviceUrl</c>; replies come back here.</summary>
    public Uri ServiceUrl { get; }

    public Uri TokenEndpoint { get; }

    public sealed record Call(string Host, string Method, string Path, string? ConversationId, string? ActivityId, string? Authorization, JsonObject? Body, JsonObject? Reply, int Status);

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>Every card the bot sent (or answered a card action with) that is not valid Adaptive Card 1.5 JSON, with the reasons.</summary>
    public ConcurrentQueue<string> SchemaViolations { get; } = new();

    /// <summary>On by default; load runs turn it off, since checking a card costs more than answering the call.</summary>
    public bool CheckCards { get; set; } = true;

    /// <summary>On by default; load runs keep only the call, not its parsed body, to leave the cores to the bot.</summary>
    public bool KeepBodies { get; set; } = true;

    public void CheckCard(JsonNode? card, string where)
    {
        if (CheckCards && card is not null && AdaptiveCardSchema.Violations(card) is { } problem) SchemaViolations.Enqueue($"{where}: {problem}");
    }
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    /// <summary>Members Teams would report, by their "29:" id: AAD object id, name, email.</summary>
    public ConcurrentDictionary<string, (string Aad, string Name, string? Email)> Members { get; } = new();

    /// <summary>The next connector call is answered with <paramref name="status"/> and Teams' error code.</summary>
    public void FailNext(int status, string code, string? retryAfter = null) => _scripted.Enqueue((status, code, retryAfter));

    /// <summary>Every call about <paramref name="conversationId"/> is refused from now on, as when the bot was removed from it.</summary>
    public void Refuse(string conversationId, int status, string code) => _refused[conversationId] = (status, code);

    /// <summary>The 1:1 conversation Teams keeps between the bot and a user, whichever id the bot used for them.</summary>
    public string DirectConversation(string memberId)
    {
        var aad = Members.TryGetValue(memberId, out var m) ? m.Aad : memberId;
        return "a:dm-" + aad;
    }

    public IEnumerable<Call> Sent => Calls.Where(c => c.Reply is not null && c.Method is "POST" or "PUT" && c.ConversationId is not null);

    public static async Task<FakeTeamsConnector> StartAsync()
    {
        FakeTeamsConnector? fake = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/botframework.com/oauth2/v2.0/token", async (HttpContext c) =>
            {
                var form = await c.Request.ReadFormAsync();
                fake!.TokenRequests.Enqueue(form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
                await c.Response.WriteAsJsonAsync(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["ext_expires_in"] = 3600, ["access_token"] = BotToken });
            });
            app.MapPost("/v3/conversations", (HttpContext c) => fake!.HandleAsync(c, null, null));
            app.MapPost("/v3/conversations/{conversationId}/activities", (HttpContext c, string conversationId) => fake!.HandleAsync(c, conversationId, null));
            app.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => fake!.HandleAsync(c, conversationId, activityId));
            app.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => fake!.HandleAsync(c, conversationId, activityId));
            app.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (HttpContext c, string conversationId, string memberId) => fake!.HandleAsync(c, conversationId, memberId));
        });
        fake = new FakeTeamsConnector(app, address);
        return fake;
    }

    private async Task HandleAsync(HttpContext context, string? conversationId, string? activityId)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        JsonObject? body = null;
        if (hasBody && KeepBodies) body = await request.ReadFromJsonAsync<JsonObject>();
        else if (hasBody) await request.Body.CopyToAsync(Stream.Null);
        string? authorization = request.Headers.Authorization;
        var path = request.Path.Value ?? "";
        foreach (var attachment in body?["attachments"]?.AsArray() ?? []) CheckCard(attachment?["content"], $"{request.Method} {path}");

        async Task AnswerAsync(int status, JsonObject? reply)
        {
            Calls.Enqueue(new Call(request.Host.Host, request.Method, path, conversationId, activityId, authorization, body, status < 300 ? reply : null, status));
            context.Response.StatusCode = status;
            if (reply is not null) await context.Response.WriteAsJsonAsync(reply);
        }

        if (_scripted.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter is not null) context.Response.Headers.RetryAfter = scripted.RetryAfter;
            await AnswerAsync(scripted.Status, new JsonObject { ["error"] = new JsonObject { ["code"] = scripted.Code, ["message"] = scripted.Code } });
            return;
        }
        if (conversationId is not null && _refused.TryGetValue(conversationId.Split(";messageid=")[0], out var refused))
        {
            await AnswerAsync(refused.Status, new JsonObject { ["error"] = new JsonObject { ["code"] = refused.Code, ["message"] = refused.Code } });
            return;
        }
        if (authorization != "Bearer " + BotToken)
        {
            await AnswerAsync(401, new JsonObject { ["error"] = new JsonObject { ["code"] = "BotNotRegistered", ["message"] = "Authorization has been denied" } });
            return;
        }

        JsonObject reply;
        if (request.Method == "GET")
        {
            // As Teams: a channel thread (";messageid=") is not a conversation whose members can be listed.
            if (conversationId!.Contains(";messageid=", StringComparison.Ordinal))
            {
                await AnswerAsync(404, new JsonObject { ["error"] = new JsonObject { ["code"] = "ThreadNotFound", ["message"] = "Thread not found" } });
                return;
            }
            if (!Members.TryGetValue(activityId!, out var member))
            {
                await AnswerAsync(404, new JsonObject { ["error"] = new JsonObject { ["code"] = "MemberNotFoundInConversation" } });
                return;
            }
            reply = new JsonObject
            {
                ["id"] = activityId, ["name"] = member.Name, ["aadObjectId"] = member.Aad, ["email"] = member.Email, ["userPrincipalName"] = member.Email,
                ["tenantId"] = Conformance.TeamsDriver.Tenant, ["userRole"] = "user",
            };
        }
        else if (conversationId is null)
        {
            var memberId = body?["members"]?[0]?["id"]?.GetValue<string>() ?? "";
            reply = new JsonObject { ["id"] = DirectConversation(memberId) };
        }
        else
        {
            reply = new JsonObject { ["id"] = request.Method == "PUT" ? activityId : Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }
        await AnswerAsync(request.Method == "POST" && conversationId is null ? 201 : 200, reply);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
