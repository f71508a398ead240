using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Flows;
using Bot.Core.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

/// <summary>
/// <c>POST /api/messages</c>: verified by <see cref="TeamsVerifier"/> before the activity is acted on (401 on any
/// token failure, nothing processed). Messages and installs are acknowledged at once and handled on the Teams work queue;
/// card actions are answered inline with the updated card.
/// </summary>
public static partial class TeamsEndpoints
{
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value.Enabled) return app;
        app.MapPost("/api/messages", MessagesAsync).WithMetadata(new VerifiedBy(typeof(TeamsVerifier))).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> MessagesAsync(HttpContext http, ChannelWorkQueue<TeamsOptions> queue, ILoggerFactory loggers)
    {
        var activity = VerifiedBy.Payload<TeamsActivity>(http.Items);
        switch (activity.Type)
        {
            case "message":
            {
                var command = Command.Parse(activity.CommandText()) ?? new Command("help", "");
                if (activity.Value is null && http.RequestServices.GetRequiredService<InstantAnswers>().For(command, TeamsChannel.ChannelKind) is { } answer)
                    await queue.EnqueueAsync("help", (sp, ct) => sp.GetRequiredService<TeamsQuickAnswers>().AnswerAsync(sp, activity, command, answer, ct), http.RequestAborted);
                else
                    await queue.EnqueueAsync("message", (sp, ct) => sp.GetRequiredService<TeamsTurns>().MessageAsync(activity, command, ct), http.RequestAborted);
                break;
            }
            case "conversationUpdate" or "installationUpdate":
                await queue.EnqueueAsync(activity.Type, (sp, ct) => sp.GetRequiredService<TeamsTurns>().MembershipAsync(activity, ct), http.RequestAborted);
                break;
            case "invoke" when activity.Name is "adaptiveCard/action" or "task/fetch" or "task/submit" or "composeExtension/fetchTask" or "composeExtension/submitAction":
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
                        "composeExtension/fetchTask" => await turns.MessageActionFetchAsync(activity, CancellationToken.None),
                        "composeExtension/submitAction" => await turns.DialogSubmitAsync(activity, CancellationToken.None),
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
                // An answer can be a card (the updated one, a dialog's form): sealed like every other card.
                await http.RequestServices.GetRequiredService<TeamsCardSeal>().SealAsync(answer, activity.ConversationId, CancellationToken.None);
                return Results.Json(answer);
            }
            case "invoke":
                // Other invokes (search extensions, sign-in) are not offered by this app; 200 with an empty answer.
                return Results.Json(new JsonObject());
        }
        return Results.Ok();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering the {Invoke} invoke failed")]
    private static partial void LogInvokeFailed(ILogger logger, Exception ex, string invoke);
}
