using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Flows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

/// <summary>
/// <c>POST /api/messages</c>: the bearer token is checked before the activity is acted on (401 on any failure,
/// nothing processed). Messages and installs are acknowledged at once and handled on <see cref="TeamsWorkQueue"/>;
/// card actions are answered inline with the updated card.
/// </summary>
public static partial class TeamsEndpoints
{
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value.Enabled) return app;
        app.MapPost("/api/messages", MessagesAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task MessagesAsync(HttpContext http, BotFrameworkTokenValidator validator, TeamsWorkQueue queue,
        IOptions<TeamsOptions> options, ILoggerFactory loggers)
    {
        var limit = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit || await InboundBody.ReadAsync(http.Request.Body, limit, http.RequestAborted) is not { } body)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        // The token is bound to the activity's channel and service URL, so those two are read first; nothing else is.
        var activity = TeamsActivity.Parse(body.Span);
        var check = await validator.ValidateAsync(http.Request.Headers.Authorization, activity?.ChannelId, activity?.ServiceUrl, http.RequestAborted);
        if (!check.Valid)
        {
            LogRejected(loggers.CreateLogger(nameof(TeamsEndpoints)), check.Reason ?? "invalid");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (activity is null || activity.ConversationId is null || activity.ServiceUrl is null || activity.Id is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (!options.Value.AcceptsTenant(activity.TenantId))
        {
            LogRejected(loggers.CreateLogger(nameof(TeamsEndpoints)), "tenant not allowed");
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        switch (activity.Type)
        {
            case "message":
            {
                var command = Command.Parse(activity.CommandText()) ?? new Command("help", "");
                if (activity.Value is null && http.RequestServices.GetRequiredService<InstantAnswers>().For(command) is { } answer)
                    await queue.EnqueueAsync("help", (sp, ct) => sp.GetRequiredService<TeamsQuickAnswers>().AnswerAsync(sp, activity, command, answer, ct), http.RequestAborted);
                else
                    await queue.EnqueueAsync("message", (sp, ct) => sp.GetRequiredService<TeamsTurns>().MessageAsync(activity, command, ct), http.RequestAborted);
                break;
            }
            case "conversationUpdate" or "installationUpdate":
                await queue.EnqueueAsync(activity.Type, (sp, ct) => sp.GetRequiredService<TeamsTurns>().MembershipAsync(activity, ct), http.RequestAborted);
                break;
            case "invoke" when activity.Name is "adaptiveCard/action" or "task/fetch" or "task/submit":
            {
                // Teams waits up to 15 s for this answer; the turn must not stop half-way if the caller gives up.
                var turns = http.RequestServices.GetRequiredService<TeamsTurns>();
                JsonObject answer;
                try
                {
                    answer = activity.Name switch
                    {
                        "task/fetch" => await turns.DialogFetchAsync(activity, CancellationToken.None),
                        "task/submit" => await turns.DialogSubmitAsync(activity, CancellationToken.None),
                        _ => await turns.CardActionAsync(activity, CancellationToken.None),
                    };
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Teams shows an invoke's error body to the person; a 500 would only say "something went wrong".
                    LogInvokeFailed(loggers.CreateLogger(nameof(TeamsEndpoints)), ex, activity.Name!);
                    answer = activity.Name == "adaptiveCard/action"
                        ? new JsonObject
                        {
                            ["statusCode"] = 500, ["type"] = "application/vnd.microsoft.error",
                            ["value"] = new JsonObject { ["code"] = "InternalError", ["message"] = "Sorry, that did not work. Please try again." },
                        }
                        : AdaptiveCards.DialogMessage("Sorry, that did not work. Please try again.");
                }
                await http.Response.WriteAsJsonAsync(answer, http.RequestAborted);
                return;
            }
            case "invoke":
                // Other invokes (message extensions, sign-in) are not offered by this app; 200 with an empty answer.
                await http.Response.WriteAsJsonAsync(new JsonObject(), http.RequestAborted);
                return;
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering the {Invoke} invoke failed")]
    private static partial void LogInvokeFailed(ILogger logger, Exception ex, string invoke);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an activity: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
