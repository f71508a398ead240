using System.Globalization;
using System.Text;
using Bot.Core.Conversation;
using Bot.Core.Directory;

namespace Bot.Core.Features.Digests;

/// <summary>What a digest looks like: headline numbers with arrows against the four weeks before, and three things worth a look.</summary>
public static class DigestMessages
{
    /// <summary>A tag seen this often in 8 weeks earns a training suggestion.</summary>
    public const int RecurringAt = 3;

    /// <summary>
    /// A team's digest. <see cref="SharedWhatHurt"/> holds only what people chose to share with their name;
    /// <see cref="PrivateWhatHurt"/> counts the rest. <see cref="ChartUrl"/> is the 8-week trend, where it can be linked.
    /// </summary>
    public sealed record Digest(Team Team, DigestWindow Window, bool SoFar, IReadOnlyList<MetricValue> Metrics, bool Quiet,
        IReadOnlyList<(string Tag, int Count)> Factors, IReadOnlyList<WorthItem> WorthALook, IReadOnlyList<string> IncidentsByService,
        IReadOnlyList<string> OnCallLoad, IReadOnlyList<(string Name, string Text)> SharedWhatHurt, int PrivateWhatHurt,
        IReadOnlyList<AnsweredItem> LastWeek, string? ChartUrl = null);

    /// <summary>
    /// The full digest. <paramref name="forChannel"/>: the copy for a leadership channel, which more people read than
    /// the managers people agreed to share with: on-call load per person and what people shared are left out.
    /// </summary>
    public static Message Full(Digest d, bool forChannel = false)
    {
        var when = Period(d);
        var builder = Message.Build($"Culture health for {d.Team.Name}, {when}")
            .Header(Plain.OneLine($"📈 Culture health: {d.Team.Name}, {when}"));
        if (d.Quiet)
            builder.Text("A quiet week: no escalations, incidents, reviews or experiments. Nothing is broken; this digest is here so silence never reads as a broken bot.");
        builder.Text(Section("Escalations", d, "Escalations raised", "People who escalated", "Time to acknowledge (median)", "Time to acknowledge (p90)",
            "Re-escalations", "Resolved as fixed", "False alarms, still the right call", "Handed to another team", "Resolved as needing a review"));
        var incidents = Section("Incidents", d, "Incidents", "MTTA (median)", "MTTA (p90)", "MTTR (median)", "MTTR (p90)", "Change failure rate");
        if (d.IncidentsByService.Count > 0) incidents += "\n*By service*\n" + string.Join("\n", d.IncidentsByService.Select(l => "• " + l));
        builder.Text(incidents);
        builder.Text(Section("Reviews", d, "Reviews completed", "Reviews due", "Working days to complete a review (median)",
            "Contributors per completed review (median)", "Action items opened", "Action items done", "Action items overdue"));
        builder.Text(Section("Experiments", d, "Experiments proposed", "Experiments approved", "Experiments concluded", "Experiments adopted"));
        var onCall = Section("On-call", d, "Out-of-hours share", "Check-ins answered", "On-call load, 1–5 (median)", "Shifts with sleep interrupted");
        if (forChannel)
        {
            var wrote = d.SharedWhatHurt.Count + d.PrivateWhatHurt;
            if (wrote > 0) onCall += $"\n{Count(wrote, "person", "people")} wrote what hurt most; their managers see it in their own digest.";
        }
        else
        {
            if (d.OnCallLoad.Count > 0) onCall += "\n*Pages and escalations per person*\n" + string.Join("\n", d.OnCallLoad.Select(l => "• " + l));
            if (d.SharedWhatHurt.Count > 0)
                onCall += "\n*What hurt most (shared)*\n" + string.Join("\n", d.SharedWhatHurt.Select(w => $"• {w.Name}: “{Plain.OneLine(w.Text)}”"));
            if (d.PrivateWhatHurt > 0)
                onCall += $"\n{Count(d.PrivateWhatHurt, "more person", "more people")} wrote what hurt most and kept it private.";
        }
        builder.Text(onCall);
        if (d.Factors.Count > 0)
        {
            var lines = d.Factors.Take(3).Select(f => $"• {f.Tag} × {f.Count.ToString(CultureInfo.InvariantCulture)}" +
                (f.Count >= RecurringAt ? $" — recurring: worth a training or a design session on {f.Tag}" : ""));
            builder.Text("*Recurring contributing factors (8 weeks)*\n" + string.Join("\n", lines));
        }
        if (d.ChartUrl is { } chart) builder.Image(chart, $"{d.Team.Name}: time to acknowledge, MTTR and incidents per week over 8 weeks");
        if (d.LastWeek.Count > 0)
            builder.Text("*What leadership did with last week's items*\n" + string.Join("\n", d.LastWeek.Select(i => $"• {i.Text} — {Answers(i)}")));
        if (d.WorthALook.Count == 0) builder.Text("*Worth a look*\nNothing stands out.");
        else
        {
            builder.Text("*Worth a look*");
            foreach (var item in d.WorthALook)
            {
                var id = item.Id.ToString(CultureInfo.InvariantCulture);
                builder.Text("• " + item.Text).Buttons(new Button(DigestItems.Sponsor, "Sponsor", id, ButtonStyle.Primary),
                    new Button(DigestItems.Unblock, "Unblock — I'll follow up", id), new Button(DigestItems.Seen, "Seen", id),
                    new Button(DigestItems.List, "Show the list", id));
            }
        }
        return builder.Context((d.SoFar
            ? "The week is not over: each number so far stands beside the weekly average of the four weeks before, without arrows."
            : "Arrows compare with the average of the four weeks before.") + " False alarms that were still the right call count as healthy.").Done();
    }

    /// <summary>What anyone on the team may see: the team's totals, no people and no worth-a-look items.</summary>
    public static Message Public(Digest d)
    {
        var when = Period(d);
        return Message.Build($"{d.Team.Name}, {when}")
            .Header(Plain.OneLine($"📈 {d.Team.Name}, {when}"))
            .Text(d.Quiet ? "A quiet week so far." : Section("This week", d, "Escalations raised", "Incidents", "Reviews completed", "Experiments proposed",
                "Experiments concluded"))
            .Context("Managers get the full digest every week; this is the team's public summary.")
            .Done();
    }

    public static string ChartFileName(Digest d) => $"digest-{d.Team.Key}-{d.Window.Label(d.Team.TimeZone)}.png";

    public static string ChartTitle(Digest d) => $"{d.Team.Name}: the last 8 weeks to {d.Window.Label(d.Team.TimeZone)}";

    private static string Answers(AnsweredItem item)
    {
        if (item.Responses.Count == 0) return "no answer";
        return string.Join("; ", item.Responses.GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g =>
            $"{(g.Key switch { DigestResponseKind.Sponsor => "sponsored by", DigestResponseKind.Unblock => "followed up by", _ => "seen by" })} " +
            string.Join(", ", g.Select(r => r.Name).Distinct())));
    }

    private static string Count(int n, string one, string many) => $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? one : many)}";

    private static string Period(Digest d)
    {
        var zone = d.Team.TimeZone;
        var tz = TimeZones.Find(zone);
        var from = TimeZoneInfo.ConvertTime(d.Window.From, tz);
        var to = TimeZoneInfo.ConvertTime(d.Window.To.AddTicks(-1), tz);
        return d.SoFar ? $"this week so far ({d.Window.Label(zone)})" : $"week {d.Window.Label(zone)} ({from:d MMM} – {to:d MMM})";
    }

    private static string Section(string title, Digest d, params string[] names)
    {
        var text = new StringBuilder("*").Append(title).Append('*');
        foreach (var m in names.Select(n => d.Metrics.Single(x => x.Name == n)))
            text.Append('\n').Append("• ").Append(m.Name).Append(": ").Append(Value(m, d.SoFar));
        return text.ToString();
    }

    /// <summary>
    /// "12 ↑ (avg 8)", "4.5 min ↓ (avg 6)", or "no data yet". A week <paramref name="soFar"/> is not comparable with
    /// whole weeks yet: "3 (weekly avg 8)".
    /// </summary>
    public static string Value(MetricValue m, bool soFar = false)
    {
        if (m.Value is not { } v) return "no data yet";
        var unit = m.Unit.Length == 0 ? "" : m.Unit == "%" ? "%" : " " + m.Unit;
        var number = v.ToString("0.#", CultureInfo.InvariantCulture) + unit;
        if (m.Baseline is not { } b) return number;
        if (soFar) return $"{number} (weekly avg {b.ToString("0.#", CultureInfo.InvariantCulture)})";
        var arrow = v > b ? "↑" : v < b ? "↓" : "→";
        return $"{number} {arrow} (avg {b.ToString("0.#", CultureInfo.InvariantCulture)})";
    }
}
