using Bot.Core.Conversation;
using Bot.Core.Features.Help;

namespace Bot.Core.Flows;

/// <summary>
/// The answer to a command that needs no state and no work: help, and help for anything unknown. Channels that
/// can answer inside their acknowledgement (a Slack command response) use it and skip the background turn.
/// Kept apart from the router so answering needs no database.
/// </summary>
public sealed class InstantAnswers(FlowCatalog catalog, HelpFlow help)
{
    public Message? For(Command command, string? channel = null) => catalog.ForCommand(command.Name) switch
    {
        null => help.Render(unknown: "/" + command.Name, channel),
        HelpFlow => help.Render(unknown: null, channel),
        _ => null,
    };
}
