using Bot.Core.Conversation;

namespace Bot.Core.Flows;

/// <summary>
/// What /help shows for a flow, and the key its action and form ids start with ("escalation.ack"). <paramref name="Aliases"/>
/// are other command names that reach it (<c>/experiments</c> for <c>/propose-experiment</c>).
/// </summary>
public sealed record FlowInfo(string Key, string Command, string Description, string Usage, IReadOnlyList<string>? Aliases = null)
{
    /// <summary>The flow's button and form id enums (each marked <c>[FlowIds(Key)]</c>); ids no member names never reach the flow.</summary>
    public FlowIdTypes Ids { get; init; } = new(null, null);
}

/// <summary>
/// One conversational capability, reached by its command. Buttons and forms whose ids are members of its id enums
/// (<see cref="FlowInfo.Ids"/>) come back to the same flow. Flows never branch on the channel.
/// </summary>
public interface IFlow
{
    FlowInfo Info { get; }

    Task OnCommandAsync(Turn turn, Command command, CancellationToken cancellationToken);

    Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken cancellationToken);

    /// <summary>Validates synchronously (errors go back into the form) and saves; slow effects go to reminders.</summary>
    Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken cancellationToken);
}
