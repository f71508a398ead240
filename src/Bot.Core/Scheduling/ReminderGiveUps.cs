using Bot.Core.Conversation;

namespace Bot.Core.Scheduling;

/// <summary>A reminder that gave up: which, why, and the conversation that could not be reached when that was the reason.</summary>
public sealed record GaveUp(long ReminderId, string Kind, string Reason, ConversationAddress? Unreachable);

/// <summary>
/// Told when a reminder gives up, after it is marked failed and logged, so it is visible where people look: the
/// scheduler's dashboard, the managers of a team whose channel the bot cannot reach. Best effort: a listener that
/// fails is logged and does not undo the give-up.
/// </summary>
public interface IReminderGiveUpListener
{
    Task GaveUpAsync(GaveUp gaveUp, CancellationToken ct);
}
