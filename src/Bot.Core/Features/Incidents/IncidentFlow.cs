using System.Globalization;
using System.Text;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Incidents;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Incidents;

/// <summary>
/// /incident lists the open incidents of your teams; /incident INC-7 shows one with its timeline. The incident card's
/// buttons come back here: "I'm on it", "Link deployment" (the change that caused it) and the console link.
/// </summary>
public sealed class IncidentFlow : IFlow
{
    public const string Key = "incident";
    public static readonly FormId LinkFormId = FormId.Of(IncidentForm.LinkDeployment);
    public const int TimelineShown = 15;
    public const int Listed = 25;

    public FlowInfo Info { get; } = new(Key, "incident", "See your teams' open incidents, or one incident with its timeline", "/incident [INC-id]")
    {
        Ids = new(typeof(IncidentAction), typeof(IncidentForm)),
    };

    public async Task OnCommandAsync(Turn turn, Command command, CancellationToken ct)
    {
        var text = command.Text.Trim();
        if (text.Length == 0)
        {
            await turn.ReplyPrivatelyAsync(await ListAsync(turn, ct), ct);
            return;
        }
        var incident = IncidentReference.Parse(text) is { } id ? await turn.Db.Incidents.AsNoTracking().Include(i => i.Timeline).FirstOrDefaultAsync(i => i.Id == id, ct) : null;
        if (incident is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"I can't find incident `{Plain.Cut(text, 40)}`. Type `/incident` to list your teams' open incidents."), ct);
            return;
        }
        await turn.ReplyPrivatelyAsync(await DetailAsync(turn, incident, ct), ct);
    }

    public async Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken ct)
    {
        // A link button: the platform opens the page; some report the click as well, and nothing more is needed.
        if (!action.ActionId.Is(out IncidentAction which) || which == IncidentAction.Open) return;
        var incident = IncidentReference.Parse(action.Value) is { } id ? await turn.Db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct) : null;
        if (incident is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("I can't find that incident any more."), ct);
            return;
        }
        switch (which)
        {
            case IncidentAction.OnIt or IncidentAction.LinkDeployment or IncidentAction.SplitOut when !await turn.KnownPersonAsync(null, ct):
                break;
            case IncidentAction.OnIt:
                await OnItAsync(turn, incident, ct);
                break;
            case IncidentAction.LinkDeployment:
                await OfferDeploymentsAsync(turn, incident, ct);
                break;
            case IncidentAction.SplitOut:
                var split = await IncidentGrouping.SplitAsync(turn.Db, incident, turn.ActorName, turn.Now, ct);
                await turn.ReplyPrivatelyAsync(Message.Text(split == 0
                    ? $"{IncidentReference.Of(incident.Id)} has no related alerts to split out."
                    : $"Split {split} related alert(s) out of {IncidentReference.Of(incident.Id)}: each gets a card of its own. New alerts for the service start a new group."), ct);
                break;
        }
    }

    public async Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct)
    {
        if (!submission.FormId.Is(out IncidentForm _)) return FormResult.Accepted;
        var incident = IncidentReference.Parse(submission.PrivateState) is { } id ? await turn.Db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct) : null;
        if (incident is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("I can't find that incident any more."), ct);
            return FormResult.Accepted;
        }
        if (!await turn.KnownPersonAsync(null, ct)) return FormResult.Accepted;
        var chosen = submission.Value("deployment");
        var deployment = chosen is null || incident.ServiceKey is null
            ? null
            : await turn.Db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == chosen && d.ServiceKey == incident.ServiceKey, ct);
        if (deployment is null) return FormResult.Invalid(new Dictionary<string, string> { ["deployment"] = "Pick one of the deployments listed." });
        if (incident.DeploymentId == deployment.Id) return FormResult.Accepted;

        var now = turn.Now;
        incident.DeploymentId = deployment.Id;
        incident.UpdatedAt = now;
        incident.Record(now, IncidentEventKind.LinkedDeployment, turn.ActorName, $"Linked to deployment {deployment.Id} ({deployment.Service} {deployment.Version})");
        IncidentReminders.ScheduleRefresh(turn.Db, incident.Id, now);
        IncidentReminders.WriteBack(turn.Db, incident.Id, now, $"{turn.ActorName} linked deployment {deployment.Id} ({deployment.Service} {deployment.Version}) as the cause (from chat)");
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"Linked {IncidentReference.Of(incident.Id)} to deployment {deployment.Id}. It counts towards {deployment.Service}'s change failure rate."), ct);
        return FormResult.Accepted;
    }

    private static async Task OnItAsync(Turn turn, Incident incident, CancellationToken ct)
    {
        var reference = IncidentReference.Of(incident.Id);
        if (incident.Status == IncidentStatus.Resolved)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{reference} is already resolved."), ct);
            return;
        }
        if (incident.AcknowledgedBy is not null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{incident.AcknowledgedBy} is already on {reference}. Join them in the team channel."), ct);
            return;
        }
        var now = turn.Now;
        incident.AcknowledgedAt = now;
        incident.AcknowledgedBy = turn.ActorName;
        incident.UpdatedAt = now;
        incident.Record(now, IncidentEventKind.Acknowledged, turn.ActorName, $"On it after {Durations.Format(now - incident.OpenedAt)}");
        IncidentReminders.ScheduleRefresh(turn.Db, incident.Id, now);
        IncidentReminders.WriteBack(turn.Db, incident.Id, now, $"Acknowledged in chat by {turn.ActorName}");
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"You're on {reference}. Thank you; the team channel now shows it."), ct);
    }

    private static async Task OfferDeploymentsAsync(Turn turn, Incident incident, CancellationToken ct)
    {
        var since = incident.OpenedAt - TimeSpan.FromDays(7);
        var deployments = incident.ServiceKey is null
            ? []
            : (await turn.Db.Deployments.AsNoTracking().Where(d => d.ServiceKey == incident.ServiceKey).ToListAsync(ct))
                .Where(d => d.DeployedAt >= since && d.DeployedAt <= incident.OpenedAt + TimeSpan.FromHours(1))
                .OrderByDescending(d => d.DeployedAt).Take(20).ToList();
        if (deployments.Count == 0)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"No deployments of this service were reported in the 7 days before {IncidentReference.Of(incident.Id)} opened."), ct);
            return;
        }
        var zone = turn.Person?.TimeZone;
        await turn.OpenFormAsync(new Form(LinkFormId, "Link the deployment that caused it", [
            new FormField("deployment", "Deployment", FieldKind.Select, Required: true, Initial: incident.DeploymentId ?? deployments[0].Id,
                Options: deployments.Select(d => new FormOption(d.Id, Plain.Cut($"{d.Version} · {TimeZones.Format(d.DeployedAt, zone, turn.Now)} · {d.Outcome}", 75))).ToArray(),
                Hint: "Linked incidents count towards the service's change failure rate."),
        ], "Link", incident.Id.ToString(CultureInfo.InvariantCulture)), ct);
    }

    private static async Task<Message> ListAsync(Turn turn, CancellationToken ct)
    {
        var teams = await turn.Db.Teams.AsNoTracking().ToListAsync(ct);
        var mine = turn.Person is { } p ? teams.Where(t => t.Members.Contains(p.Key) || t.Managers.Contains(p.Key) || t.OnCall.Members.Contains(p.Key)).ToList() : [];
        var keys = mine.Select(t => t.Key).ToList();
        var query = turn.Db.Incidents.AsNoTracking().Where(i => i.Status == IncidentStatus.Open)
            .Where(i => keys.Count == 0 || (i.TeamKey != null && keys.Contains(i.TeamKey)) || i.TeamKey == null);
        var total = await query.CountAsync(ct);
        // Incidents with a card first; an alert storm's related alerts follow, each naming the incident it is grouped into.
        var open = await query.OrderBy(i => i.GroupedIntoId != null).ThenBy(i => i.Impact).ThenBy(i => i.OpenedAt).Take(Listed).ToListAsync(ct);
        var scope = mine.Count == 0 ? "all teams" : string.Join(", ", mine.Select(t => t.Name));
        if (open.Count == 0) return Message.Text($"No open incidents for {scope}.");
        var names = teams.ToDictionary(t => t.Key, t => t.Name);
        var lines = open.Select(i =>
            $"*{IncidentReference.Of(i.Id)}* {i.Title} · impact {IncidentMessages.ImpactLabel(i.Impact)} · " +
            $"{(i.TeamKey is { } k && names.TryGetValue(k, out var n) ? n : "no team")} · {IncidentMessages.Status(i, turn.Now)}" +
            (i.GroupedIntoId is { } primary ? $" · related alert of {IncidentReference.Of(primary)}" : ""));
        var shown = total > open.Count ? $"Showing {open.Count} of {total}. " : "";
        return Message.Build($"{total} open incident(s) for {scope}")
            .Header($"Open incidents for {Plain.Cut(scope, 100)}")
            .Text(string.Join("\n", lines))
            .Context(shown + "Type `/incident INC-<number>` for one incident with its timeline.")
            .Done();
    }

    private static async Task<Message> DetailAsync(Turn turn, Incident incident, CancellationToken ct)
    {
        var card = await IncidentPosting.CardAsync(turn.Db, incident, turn.Now, ct);
        var zone = turn.Person?.TimeZone ?? (incident.TeamKey is { } key ? (await turn.Db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct))?.TimeZone : null);
        var timeline = new StringBuilder("*Timeline*");
        foreach (var e in incident.Timeline.OrderBy(e => e.At).ThenBy(e => e.Id).TakeLast(TimelineShown))
            timeline.Append('\n').Append(TimeZones.Format(e.At, zone, turn.Now)).Append(" · ").Append(e.Actor).Append(": ").Append(e.Text);
        var blocks = card.Blocks.Where(b => b is not ButtonsBlock).Append(new TextBlock(timeline.ToString()));
        var links = card.Blocks.OfType<ButtonsBlock>().SelectMany(b => b.Buttons).ToArray();
        if (links.Length > 0) blocks = blocks.Append(new ButtonsBlock(links));
        return new Message([.. blocks], card.FallbackText);
    }

}
