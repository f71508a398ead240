using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Help;
using Bot.Core.Storage;
using Bot.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Flows;

/// <summary>
/// Where every channel hands what a person did. Commands resolve by name (help is the catch-all), buttons and forms by
/// their typed id: only to the flow whose id enums name it. One error handler: log with a correlation id, tell the person briefly.
/// </summary>
public sealed partial class BotRouter(
    FlowCatalog catalog,
    HelpFlow help,
    ChannelRegistry channels,
    DirectoryCache directory,
    BotDbContext db,
    TimeProvider clock,
    ILogger<BotRouter> logger)
{
    public Task HandleCommandAsync(Interaction interaction, Command command, CancellationToken ct) =>
        RunAsync(interaction, "command " + command.Name, async turn =>
        {
            var flow = catalog.ForCommand(command.Name);
            BotTelemetry.CommandsHandled.Add(1, new KeyValuePair<string, object?>("command", flow?.Info.Command ?? "unknown"));
            if (flow is null)
            {
                await turn.ReplyPrivatelyAsync(help.Render(unknown: "/" + command.Name, interaction.Channel), ct);
                return;
            }
            await flow.OnCommandAsync(turn, command, ct);
        });

    public Task HandleActionAsync(Interaction interaction, ButtonAction action, CancellationToken ct) =>
        RunAsync(interaction, "action " + action.ActionId, async turn =>
        {
            var flow = catalog.ForId(action.ActionId);
            if (flow is null)
            {
                await turn.ReplyPrivatelyAsync(Message.Text("That button is no longer in use."), ct);
                return;
            }
            await flow.OnActionAsync(turn, action, ct);
        });

    public async Task<FormResult> HandleSubmissionAsync(Interaction interaction, FormSubmission submission, CancellationToken ct)
    {
        var result = FormResult.Accepted;
        var completed = await RunAsync(interaction, "form " + submission.FormId, async turn =>
        {
            var flow = catalog.ForId(submission.FormId);
            if (flow is null)
            {
                await turn.ReplyPrivatelyAsync(Message.Text("That form is no longer in use."), ct);
                return;
            }
            result = await flow.OnSubmitAsync(turn, submission, ct);
        });
        return completed ? result : FormResult.Failure;
    }

    /// <summary>Runs the turn; false when it failed (logged, and the person told).</summary>
    private async Task<bool> RunAsync(Interaction interaction, string what, Func<Turn, Task> handle)
    {
        using var activity = BotTelemetry.Source.StartActivity(what);
        activity?.SetTag("bot.channel", interaction.Channel);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["Channel"] = interaction.Channel,
            ["Conversation"] = interaction.Where.ConversationId,
            ["Turn"] = what,
        });
        var channel = channels.Get(interaction.Channel);
        var person = await directory.FindAsync(db, interaction.Channel, interaction.Actor.UserId, CancellationToken.None);
        var turn = new Turn(interaction with { Actor = interaction.Actor with { PersonKey = person?.Key } }, person, channel, db, clock);
        try
        {
            await handle(turn);
            return true;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            var reference = Guid.NewGuid().ToString("N")[..8];
            LogTurnFailed(logger, ex, what, reference);
            try
            {
                await channel.ReplyPrivatelyAsync(interaction.Where, interaction.Actor.UserId,
                    Message.Text($"Sorry, something went wrong on my side and nothing was changed. Please try again; if it keeps failing, quote reference `{reference}`."),
                    CancellationToken.None);
            }
            catch (Exception replyError)
            {
                LogReplyFailed(logger, replyError, reference);
            }
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Turn {Turn} failed (reference {Reference})")]
    private static partial void LogTurnFailed(ILogger logger, Exception ex, string turn, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the person about failure {Reference}")]
    private static partial void LogReplyFailed(ILogger logger, Exception ex, string reference);
}
