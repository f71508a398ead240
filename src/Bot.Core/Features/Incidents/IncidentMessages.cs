using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Reviews;

namespace Bot.Core.Features.Incidents;

/// <summary>What an incident looks like in chat, built from the stored state every time.</summary>
public static class IncidentMessages
{
    public static readonly ActionId OnIt = ActionId.Of(IncidentAction.OnIt);
    public static readonly ActionId Open = IncidentCards.Open;
    public static readonly ActionId LinkDeployment = ActionId.Of(IncidentAction.LinkDeployment);
    public static readonly ActionId SplitOut = ActionId.Of(IncidentAction.SplitOut);

    public static string ImpactLabel(int impact) => impact switch
    {
        1 => "1 · Critical",
        2 => "2 · High",
        3 => "3 · Medium",
        4 => "4 · Low",
        _ => "5 · No impact",
    };

    public static Message Card(Incident i, Team? team, Service? service, Deployment? deployment, DateTimeOffset now, RelatedAlerts? related = null)
    {
        var reference = IncidentReference.Of(i.Id);
        var resolved = i.Status == IncidentStatus.Resolved;
        var title = resolved ? $"✅ Resolved {reference}: {i.Title}" : $"🔥 Incident {reference}: {i.Title}";
        var zone = team?.TimeZone ?? "UTC";
        var builder = Message.Build($"Incident {reference}: {i.Title} ({Status(i, now)})")
            .Header(Plain.OneLine(title))
            .Fields(
                new Field("Impact", ImpactLabel(i.Impact)),
                new Field("Service", service?.Name ?? "Not known"),
                new Field("Team", team?.Name ?? "Not mapped to a team"),
                new Field("Opened", TimeZones.Format(i.OpenedAt, zone, now)),
                new Field("Status", Status(i, now)),
                new Field("Reported by", SourceName(i.Source)));
        if (related is not null)
        {
            builder.Fields(new Field("Related alerts", $"{related.Count} grouped here · {related.Open} still open"));
            builder.Context("Latest: " + string.Join(" · ", related.LatestTitles.Select(t => Plain.Cut(Plain.OneLine(t), 150))));
        }
        if (i.GroupedIntoId is { } primary) builder.Context($"A related alert of {IncidentReference.Of(primary)}: it is followed on that incident's card.");
        if (deployment is not null) builder.Context($"Linked to deployment {deployment.Id}: {deployment.Service} {deployment.Version} ({deployment.Outcome}), {TimeZones.Format(deployment.DeployedAt, zone, now)}");
        else if (i.DeploymentId is not null) builder.Context($"Linked to deployment {i.DeploymentId}");
        if (i.EscalationId is { } escalation) builder.Context($"Started from escalation {EscalationReference.Of(escalation)}");
        if (i.ReviewId is { } review)
            builder.Context(i.ReviewCompletedAt is null
                ? $"Post-incident review {ReviewReference.Of(review)} is being written."
                : $"Post-incident review {ReviewReference.Of(review)} is complete: its learnings are shared.");
        builder.Buttons(Buttons(i, related));
        return builder.Done();
    }

    public static string Status(Incident i, DateTimeOffset now) => i.Status switch
    {
        IncidentStatus.Resolved when i.ResolvedAt is { } r => $"Resolved after {Durations.Format(r - i.OpenedAt)}",
        IncidentStatus.Resolved => "Resolved",
        _ when i.AcknowledgedBy is not null => $"Open · {i.AcknowledgedBy} is on it",
        _ => $"Open for {Durations.Format(now - i.OpenedAt)} · nobody on it yet",
    };

    public static string SourceName(string source) => source switch
    {
        "aws-incident-manager" => "AWS Incident Manager",
        IncidentWebhook.Source => "Incident webhook",
        _ => source,
    };

    private static Button[] Buttons(Incident i, RelatedAlerts? related)
    {
        var value = i.Id.ToString(CultureInfo.InvariantCulture);
        var buttons = new List<Button>();
        if (i.Status == IncidentStatus.Open)
        {
            if (i.AcknowledgedBy is null) buttons.Add(new Button(OnIt, "I'm on it", value, ButtonStyle.Primary));
            if (i.DeploymentId is null && i.ServiceKey is not null) buttons.Add(new Button(LinkDeployment, "Link deployment", value));
        }
        if (i.ReviewId is { } review) buttons.Add(new Button(ReviewButtons.Show, "Open the review", review.ToString(CultureInfo.InvariantCulture)));
        else if (i.Status == IncidentStatus.Resolved && i.ReviewOfferedAt is not null)
            buttons.Add(new Button(ReviewButtons.StartForIncident, "Start a review", value));
        if (related is not null) buttons.Add(new Button(SplitOut, $"Split out {related.Count} alert(s)", value));
        if (i.Url is not null) buttons.Add(new Button(Open, "Open in console", value, Url: i.Url));
        return [.. buttons];
    }
}
