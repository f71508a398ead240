using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Incidents;

namespace Bot.Core.Features.Escalation;

/// <summary>What the escalation looks like in chat. Built from the stored state every time, so an update always shows the truth.</summary>
public static class EscalationMessages
{
    public static readonly ActionId Acknowledge = ActionId.Of(EscalationAction.Acknowledge);
    public static readonly ActionId Join = ActionId.Of(EscalationAction.Join);
    public static readonly ActionId Resolve = ActionId.Of(EscalationAction.Resolve);
    public static readonly ActionId StartIncident = ActionId.Of(EscalationAction.StartIncident);
    public static readonly ActionId OpenSource = ActionId.Of(EscalationAction.OpenSource);

    /// <param name="reached">Names of the people the escalation's current level reaches.</param>
    /// <param name="canStartIncident">The team has a response plan in an incident tool, and no incident was started yet.</param>
    public static Message Announcement(Escalation e, Team team, IReadOnlyList<EscalationLevel> path, Service? service, IReadOnlyList<string> reached, DateTimeOffset now,
        bool canStartIncident = false, IncidentSummary? incident = null)
    {
        var reference = EscalationReference.Of(e.Id);
        var title = e.Status == EscalationStatus.Resolved ? $"✅ Resolved {reference}: {e.Summary}" : $"🚨 Escalation {reference}: {e.Summary}";
        var builder = Message.Build($"Escalation {reference} for {team.Name}: {e.Summary} ({Status(e)})")
            .Header(Plain.OneLine(title))
            .Fields(
                new Field("Service", service?.Name ?? "Not given"),
                new Field("Team", team.Name),
                new Field("Customer impact", EscalationText.Label(e.Impact)),
                new Field("Urgency", EscalationText.Label(e.Urgency)),
                new Field("Raised by", e.RaisedByName),
                new Field("Raised at", TimeZones.Format(e.RaisedAt, team.TimeZone, now)),
                new Field("Status", Status(e)));
        if (!string.IsNullOrWhiteSpace(e.Tried)) builder.Text($"*What has been tried:*\n{e.Tried}");
        if (e.Status == EscalationStatus.Resolved)
            builder.Text(e.OutcomeKind is { } kind ? $"*Outcome ({EscalationText.Label(kind)}):* {e.Outcome}" : $"*Outcome:* {e.Outcome}");
        builder.Context(Progress(e, team, path, reached, now));
        if (e.Responders.Count > 0) builder.Context("Responding: " + string.Join(", ", e.Responders));
        if (incident is not null) builder.Context($"Incident {incident.Reference} in {incident.SourceName}: {incident.Title}");
        var buttons = Buttons(e).ToList();
        if (canStartIncident && e.Status != EscalationStatus.Resolved)
            buttons.Add(new Button(StartIncident, "Start incident", e.Id.ToString(CultureInfo.InvariantCulture)));
        if (incident?.Url is { } url) buttons.Add(new Button(IncidentCards.Open, "Open in console", incident.Id.ToString(CultureInfo.InvariantCulture), Url: url));
        if (e.SourceUrl is { } source) buttons.Add(new Button(OpenSource, "Original message", e.Id.ToString(CultureInfo.InvariantCulture), Url: source));
        builder.Buttons([.. buttons]);
        return builder.Done();
    }

    /// <summary>The reply in the thread of the message an escalation was raised from.</summary>
    public static Message AskedFromHere(Escalation e, Team team) =>
        Message.Build($"{e.RaisedByName} asked {team.Name} for help about this: escalation {EscalationReference.Of(e.Id)}")
            .Text($"🙋 {e.RaisedByName} asked *{team.Name}* for help about this message: escalation *{EscalationReference.Of(e.Id)}*. " +
                  $"Their on-call has been paged; follow it in {team.Name}'s channel.")
            .Done();

    public static Message Page(Escalation e, Team team, Service? service, string levelName, TimeSpan timeout) =>
        Message.Build($"You are being paged for escalation {EscalationReference.Of(e.Id)}: {e.Summary}")
            .Header(Plain.OneLine($"📟 You're paged ({levelName}) for {EscalationReference.Of(e.Id)}"))
            .Text(e.Summary)
            .Fields(
                new Field("Service", service?.Name ?? "Not given"),
                new Field("Team", team.Name),
                new Field("Customer impact", EscalationText.Label(e.Impact)),
                new Field("Urgency", EscalationText.Label(e.Urgency)),
                new Field("Raised by", e.RaisedByName))
            .Context($"Please acknowledge within {Durations.Format(timeout)}; after that the next level of {team.Name}'s escalation path is asked.")
            .Buttons(Buttons(e))
            .Done();

    public static Message Thanks(Escalation e, Team team, TimeSpan timeout)
    {
        var builder = Message.Build($"Thanks for raising {EscalationReference.Of(e.Id)}")
            .Text($"Thanks for raising {EscalationReference.Of(e.Id)}, {FirstName(e.RaisedByName)}. Asking early is exactly right. " +
                  $"{team.Name} has it in their channel and their on-call is being paged. " +
                  $"If nobody acknowledges within {Durations.Format(timeout)}, I will go to the next level of their escalation path.");
        if (e.RaisedByKey is null)
        {
            builder.Context($"You are not in the bot's directory yet, so I cannot show you your teams' escalations or page you. " +
                            $"Ask whoever runs the bot to add you under Directory:People with your email or your user id `{e.RaisedByUserId}`.");
        }
        return builder.Done();
    }

    /// <summary>To whoever raised an escalation that turned out to be nothing: asking was right, and we want them to ask again.</summary>
    public static Message FalseAlarmThanks(Escalation e, Team team) =>
        Message.Text($"{EscalationReference.Of(e.Id)} turned out to be a false alarm, {FirstName(e.RaisedByName)}, and escalating was right. " +
                     $"{team.Name} would rather hear early about something that is fine than late about something that is not. Thank you, and please keep asking.");

    public static string Status(Escalation e) => e.Status switch
    {
        EscalationStatus.Resolved => "Resolved",
        EscalationStatus.Acknowledged => $"Acknowledged by {e.AcknowledgedByName}",
        _ => "Waiting for acknowledgement",
    };

    private static string Progress(Escalation e, Team team, IReadOnlyList<EscalationLevel> path, IReadOnlyList<string> reached, DateTimeOffset now)
    {
        var who = reached.Count == 0 ? "" : " (" + string.Join(", ", reached) + ")";
        var when = (DateTimeOffset? at) => at is { } t ? TimeZones.Format(t, team.TimeZone, now) : "";
        return e.Status switch
        {
            EscalationStatus.Resolved => $"Resolved by {e.ResolvedByName} at {when(e.ResolvedAt)}" +
                                         (e.AcknowledgedByName is null ? "" : $" · acknowledged by {e.AcknowledgedByName} at {when(e.AcknowledgedAt)}"),
            EscalationStatus.Acknowledged => $"Acknowledged by {e.AcknowledgedByName} at {when(e.AcknowledgedAt)}",
            _ when e.Level > 0 => $"Re-escalated to {LevelName(path, e.Level)}{who} at {when(e.LastEscalatedAt)}: not acknowledged in time",
            _ => $"Paging {LevelName(path, 0)}{who}",
        };
    }

    public static string LevelName(IReadOnlyList<EscalationLevel> path, int level) =>
        level < path.Count ? path[level].Name : $"level {(level + 1).ToString(CultureInfo.InvariantCulture)}";

    private static Button[] Buttons(Escalation e)
    {
        var value = e.Id.ToString(CultureInfo.InvariantCulture);
        return e.Status switch
        {
            EscalationStatus.Resolved => [],
            EscalationStatus.Acknowledged => [new(Join, "I'm joining", value), new(Resolve, "Resolve", value, ButtonStyle.Danger)],
            _ => [new(Acknowledge, "Acknowledge", value, ButtonStyle.Primary), new(Join, "I'm joining", value), new(Resolve, "Resolve", value, ButtonStyle.Danger)],
        };
    }

    private static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;
}
