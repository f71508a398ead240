using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Incidents;

namespace Bot.Core.Features.Reviews;

public static class ReviewMessages
{
    public static Message Prompt(IncidentSummary i, Team? team)
    {
        var duration = i.ResolvedAt is { } r ? Durations.Format(r - i.OpenedAt) : "a while";
        var who = i.AcknowledgedBy is null ? "" : $" Thanks to {i.AcknowledgedBy} for taking it on.";
        return Message.Build($"Post-incident review for {i.Reference}: {i.Title}")
            .Header(Plain.OneLine($"📝 Post-incident review: {i.Title}"))
            .Text($"{i.Reference} is resolved after {duration}.{who} Let's learn from it while it is fresh: " +
                  "a blameless review of what happened, what helped, and what we will change. Ask how the system let it happen, not who.")
            .Context(team is null ? "Write it within 5 working days." : $"{team.Name}: write it within 5 working days.")
            .Done();
    }
}
