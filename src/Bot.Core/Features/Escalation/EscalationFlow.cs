using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bot.Core.Features.Escalation;

/// <summary>
/// /escalate: a short form, then a clear message in the owning team's channel, a page to its on-call, thanks to the
/// person who asked, and re-escalation along the team's path until someone acknowledges (OPS03 BP02, BP03, BP04).
/// </summary>
public sealed class EscalationFlow(IOptions<EscalationOptions> options, DirectoryCache directory, IncidentStarts starts,
    TeamSettings<EscalationTeamSettings> settings, IncidentRequests requests) : IFlow
{
    public const string Key = "escalation";

    public FlowInfo Info { get; } = new(Key, "escalate", "Ask a team for help now; their on-call is paged until someone acknowledges", "/escalate [what is wrong]")
    {
        Ids = new(typeof(EscalationAction), typeof(EscalationForm)),
    };

    public async Task OnCommandAsync(Turn turn, Command command, CancellationToken ct)
    {
        var snapshot = await directory.GetAsync(ct);
        await turn.OpenFormAsync(EscalationForms.Raise(command.Text, snapshot.Services, snapshot.Teams, command.From), ct);
    }

    public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct) =>
        !submission.FormId.Is(out EscalationForm form) ? Task.FromResult(FormResult.Accepted) : form switch
        {
            EscalationForm.Raise => RaiseAsync(turn, submission, ct),
            _ => ResolveAsync(turn, submission, ct),
        };

    public async Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken ct)
    {
        // A link button: the platform opens the page; some report the click as well, and nothing more is needed.
        if (!action.ActionId.Is(out EscalationAction which) || which == EscalationAction.OpenSource) return;
        var escalation = await FindAsync(turn, action.Value, ct);
        if (escalation is null) return;
        switch (which)
        {
            case EscalationAction.Acknowledge or EscalationAction.Resolve when !await turn.KnownPersonAsync(Meanwhile, ct):
                break;
            case EscalationAction.StartIncident when !await OnTheTeamAsync(turn, escalation, "start an incident for it", ct):
                break;
            case EscalationAction.Acknowledge:
                await AcknowledgeAsync(turn, escalation, ct);
                break;
            case EscalationAction.Join:
                await JoinAsync(turn, escalation, ct);
                break;
            case EscalationAction.Resolve when escalation.Status == EscalationStatus.Resolved:
                await turn.ReplyPrivatelyAsync(Message.Text($"{EscalationReference.Of(escalation.Id)} was already resolved by {escalation.ResolvedByName}: {escalation.Outcome}"), ct);
                break;
            case EscalationAction.Resolve:
                await turn.OpenFormAsync(EscalationForms.Resolve(escalation), ct);
                break;
            case EscalationAction.StartIncident:
                await StartIncidentAsync(turn, escalation, ct);
                break;
        }
    }

    private async Task<FormResult> RaiseAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        var db = turn.Db;
        var errors = new Dictionary<string, string>();
        var summary = form.Value("summary");
        if (summary is null) errors["summary"] = "Say in a few words what is wrong.";
        else if (summary.Length > EscalationForms.SummaryMax) errors["summary"] = $"Keep it under {EscalationForms.SummaryMax} characters.";
        var tried = form.Value("tried");
        if (tried is { Length: > EscalationForms.SummaryMax }) errors["tried"] = $"Keep it under {EscalationForms.SummaryMax} characters.";
        if (!form.TryChoice("impact", out CustomerImpact impact)) errors["impact"] = "Pick the customer impact.";
        if (!form.TryChoice("urgency", out Urgency urgency)) errors["urgency"] = "Pick how urgent it is.";

        Service? service = null;
        if (form.Value("service") is { } serviceKey && (service = await db.Services.FindAsync([serviceKey], ct)) is null)
            errors["service"] = "That service is not in the directory.";
        Team? team = null;
        if (form.Value("team") is { } teamKey && (team = await db.Teams.FindAsync([teamKey], ct)) is null)
            errors["team"] = "That team is not in the directory.";
        if (team is null && service is not null) team = await db.Teams.FindAsync([service.TeamKey], ct);
        if (team is null && !errors.ContainsKey("service") && !errors.ContainsKey("team"))
            errors["service"] = "Pick the affected service, or the team you want to ask.";
        if (errors.Count > 0) return FormResult.Invalid(errors);

        var now = turn.Now;
        var (sourceUrl, sourceThread) = EscalationForms.Source.Read(form.PrivateState);
        var escalation = new Escalation
        {
            Summary = summary!,
            Tried = tried,
            SourceUrl = sourceUrl,
            SourceThread = sourceThread,
            Impact = impact,
            Urgency = urgency,
            ServiceKey = service?.Key,
            TeamKey = team!.Key,
            Channel = turn.Interaction.Channel,
            RaisedInConversation = turn.Interaction.Where.ConversationId,
            RaisedByUserId = turn.Actor.UserId,
            RaisedByName = turn.ActorName,
            RaisedByKey = turn.Person?.Key,
            RaisedAt = now,
            Status = EscalationStatus.Open,
            LastEscalatedAt = now,
        };
        escalation.Record(now, EscalationEventKind.Raised, turn.ActorName,
            $"Raised for {team.Name} ({EscalationText.Label(impact)}, urgency {EscalationText.Label(urgency)})");

        var teamSettings = settings.For(team);
        var timeout = options.Value.AckTimeout(teamSettings, urgency);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Escalations.Add(escalation);
            await db.SaveChangesAsync(ct);
            var id = escalation.Id;
            db.Schedule(EscalationReminders.Post, id, now, now, dedupeKey: $"escalation:{id}:post");
            db.Schedule(EscalationReminders.Thank, id, now, now, dedupeKey: $"escalation:{id}:thank");
            if (sourceThread is not null) db.Schedule(EscalationReminders.ReplyAtSource, id, now, now, dedupeKey: $"escalation:{id}:source-reply");
            EscalationReminders.PageLevel(db, escalation, team, teamSettings.Path, 0, now);
            db.Schedule(EscalationReminders.AckTimeout, id, now + timeout, now, new EscalationReminders.LevelArgs(0), dedupeKey: $"escalation:{id}:ack-timeout:0");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        BotTelemetry.EscalationsRaised.Add(1, new("team", team.Key), new("urgency", urgency.ToString()));
        return FormResult.Accepted;
    }

    private const string Meanwhile = "*I'm joining* tells the team you are helping.";

    /// <summary>Starting an incident (which pages through the team's response plan) is for the team and whoever raised it.</summary>
    private static async Task<bool> OnTheTeamAsync(Turn turn, Escalation e, string what, CancellationToken ct)
    {
        var team = await turn.Db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        if (turn.Person is { } me && (team.Includes(me.Key) || me.Key == e.RaisedByKey)) return true;
        await turn.ReplyPrivatelyAsync(Message.Text($"Only {team.Name}, or whoever raised {EscalationReference.Of(e.Id)}, can {what}. " +
                                                    "You can still join the response."), ct);
        return false;
    }

    private static async Task AcknowledgeAsync(Turn turn, Escalation e, CancellationToken ct)
    {
        if (e.Status != EscalationStatus.Open)
        {
            var already = e.Status == EscalationStatus.Resolved
                ? $"{EscalationReference.Of(e.Id)} is already resolved."
                : $"{EscalationReference.Of(e.Id)} was already acknowledged by {e.AcknowledgedByName}.";
            await turn.ReplyPrivatelyAsync(Message.Text(already), ct);
            return;
        }

        var now = turn.Now;
        e.Status = EscalationStatus.Acknowledged;
        e.AcknowledgedAt = now;
        e.AcknowledgedByName = turn.ActorName;
        e.AcknowledgedByKey = turn.Person?.Key;
        if (!e.Responders.Contains(turn.ActorName)) e.Responders = [.. e.Responders, turn.ActorName];
        e.Record(now, EscalationEventKind.Acknowledged, turn.ActorName, $"Acknowledged after {Durations.Format(now - e.RaisedAt)}");
        await turn.Db.CancelPendingAsync(EscalationReminders.AckTimeout, e.Id, now, ct);
        turn.Db.Schedule(EscalationReminders.Refresh, e.Id, now, now);
        turn.Db.Publish(new EscalationAcknowledged(e.Id, e.TeamKey, e.IncidentId, turn.ActorName, now), now);
        await turn.Db.SaveChangesAsync(ct);

        BotTelemetry.TimeToAcknowledge.Record((now - e.RaisedAt).TotalSeconds, new KeyValuePair<string, object?>("team", e.TeamKey));
        await turn.ReplyPrivatelyAsync(Message.Text($"You acknowledged {EscalationReference.Of(e.Id)}. Thank you; the team channel now shows you are on it."), ct);
    }

    private static async Task JoinAsync(Turn turn, Escalation e, CancellationToken ct)
    {
        if (e.Status == EscalationStatus.Resolved)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{EscalationReference.Of(e.Id)} is already resolved: {e.Outcome}"), ct);
            return;
        }
        if (e.Responders.Contains(turn.ActorName))
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"You are already responding to {EscalationReference.Of(e.Id)}."), ct);
            return;
        }

        var now = turn.Now;
        e.Responders = [.. e.Responders, turn.ActorName];
        e.Record(now, EscalationEventKind.Joined, turn.ActorName, "Joined the response");
        turn.Db.Schedule(EscalationReminders.Refresh, e.Id, now, now);
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"You joined {EscalationReference.Of(e.Id)}. Thanks for helping."), ct);
    }

    private async Task StartIncidentAsync(Turn turn, Escalation e, CancellationToken ct)
    {
        var reference = EscalationReference.Of(e.Id);
        if (e.IncidentId is { } existing)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{reference} already has incident {IncidentReference.Of(existing)}."), ct);
            return;
        }
        if (e.Status == EscalationStatus.Resolved)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{reference} is already resolved; there is nothing to start an incident for."), ct);
            return;
        }
        var team = await turn.Db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        if (!starts.CanStartFor(team))
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{team.Name} has no incident response plan configured, so I can't start an incident for them."), ct);
            return;
        }
        if (e.IncidentRequestedAt is not null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"An incident for {reference} is already being started."), ct);
            return;
        }
        await requests.RequestAsync(turn.Db, e, team, turn.Actor.UserId, turn.Now, ct);
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"Starting an incident for {reference}. I'll tell you here when it is open."), ct);
    }

    private static async Task<FormResult> ResolveAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        var outcome = form.Value("outcome");
        // Older forms have no kind: they resolved as fixed.
        var kind = EscalationOutcome.Fixed;
        if (form.Value("kind") is not null && !form.TryChoice("kind", out kind))
            return FormResult.Invalid(new Dictionary<string, string> { ["kind"] = "Pick one of the outcomes." });
        if (outcome is null) return FormResult.Invalid(new Dictionary<string, string> { ["outcome"] = "Add a one-line outcome: nobody closes an escalation without a note." });
        if (outcome.Length > EscalationForms.OutcomeMax)
            return FormResult.Invalid(new Dictionary<string, string> { ["outcome"] = $"Keep it to one line (under {EscalationForms.OutcomeMax} characters)." });

        var e = await FindAsync(turn, form.PrivateState, ct);
        if (e is null || !await turn.KnownPersonAsync(Meanwhile, ct)) return FormResult.Accepted;
        if (e.Status == EscalationStatus.Resolved)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{EscalationReference.Of(e.Id)} was already resolved by {e.ResolvedByName}."), ct);
            return FormResult.Accepted;
        }

        var now = turn.Now;
        e.Status = EscalationStatus.Resolved;
        e.ResolvedAt = now;
        e.ResolvedByName = turn.ActorName;
        e.Outcome = outcome.ReplaceLineEndings(" ");
        e.OutcomeKind = kind;
        e.Record(now, EscalationEventKind.Resolved, turn.ActorName, $"{EscalationText.Label(kind)}: {e.Outcome}");
        await turn.Db.CancelPendingAsync(EscalationReminders.AckTimeout, e.Id, now, ct);
        turn.Db.Schedule(EscalationReminders.Refresh, e.Id, now, now);
        if (kind == EscalationOutcome.FalseAlarm)
            turn.Db.Schedule(EscalationReminders.ThankForFalseAlarm, e.Id, now, now, dedupeKey: $"escalation:{e.Id}:thank-false-alarm");
        turn.Db.Publish(new EscalationResolved(e.Id, e.TeamKey, e.IncidentId, turn.ActorName, e.Outcome, kind), now);
        await turn.Db.SaveChangesAsync(ct);
        var next = kind == EscalationOutcome.NeedsReview ? " A blameless review is being started; its owner will hear from me." : "";
        await turn.ReplyPrivatelyAsync(Message.Text($"{EscalationReference.Of(e.Id)} is resolved. Thank you for closing the loop.{next}"), ct);
        return FormResult.Accepted;
    }

    private static async Task<Escalation?> FindAsync(Turn turn, string? value, CancellationToken ct)
    {
        Escalation? escalation = null;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            escalation = await turn.Db.Escalations.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (escalation is null)
            await turn.ReplyPrivatelyAsync(Message.Text($"I can't find escalation {(value is null ? "" : "#" + value)}. It may have been removed; raise a new one with `/escalate` if you still need help."), ct);
        return escalation;
    }
}
