using System.Globalization;
using System.Text;
using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using static Bot.Core.Conversation.MarkdownDocument;

namespace Bot.Core.Features.Digests;

/// <summary>
/// <c>/digest ops03</c>: a team's evidence for the OPS03 question of a Well-Architected review ("How does your
/// organizational culture support your business outcomes?") over the last quarter, BP01 to BP07, as Markdown behind a
/// signed, expiring link (<c>/links/ops03/{team}/{end}.md</c>), with a plain risk note where the evidence is thin.
/// </summary>
public sealed class Ops03Report(SignedLinks links) : ILinkTarget
{
    public string Prefix => "ops03";

    public const int Weeks = 13;
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(7);

    /// <summary>The quarter before the week containing <paramref name="now"/>: 13 full weeks in the team's zone.</summary>
    public static DigestWindow Quarter(DateTimeOffset now, string zone)
    {
        var end = DigestWeeks.Containing(now, zone);
        var first = DigestWeeks.Preceding(end, zone, Weeks).Last();
        return new DigestWindow(first.From, end.From);
    }

    public async Task ShareAsync(Turn turn, Team team, CancellationToken ct)
    {
        var quarter = Quarter(turn.Now, team.TimeZone);
        var name = FileName(team, quarter);
        var link = await links.LinkAsync(this, $"{team.Key}/{quarter.To.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.md", LinkLifetime, ct);
        var markdown = await MarkdownAsync(turn.Db, team, quarter, ct);
        var shared = await turn.Channel.ShareFileAsync(turn.Interaction.Where, turn.Actor.UserId, name, $"OPS03 evidence: {team.Name}", markdown, ct);
        var file = shared ? " The file is also in our direct messages." : "";
        if (link is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"The OPS03 evidence report for {team.Name} is ready.{file} Download links need `Bot:PublicBaseUrl` to be set."), ct);
            return;
        }
        await turn.ReplyPrivatelyAsync(Message.Build($"OPS03 evidence for {team.Name}: {link}")
            .Text($"*OPS03 evidence for {team.Name}*, {Period(team, quarter)}: what the bot recorded for each best practice, BP01 to BP07, with a risk note " +
                  $"where the evidence is thin. Ready for a Well-Architected review; the link works for {(int)LinkLifetime.TotalDays} days.{file}")
            .Buttons(new Button(ActionId.Of(DigestAction.DownloadOps03), $"Download {name}", team.Key, Url: link))
            .Done(), ct);
    }

    public async Task<LinkAnswer?> AnswerAsync(BotDbContext db, string rest, CancellationToken ct)
    {
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !rest.EndsWith(".md", StringComparison.Ordinal) ||
            !long.TryParse(rest[(slash + 1)..^3], NumberStyles.None, CultureInfo.InvariantCulture, out var end)) return null;
        var key = rest[..slash];
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct) is not { } team) return null;
        // The link names the quarter by its end, the start of a week in the team's zone.
        var quarter = Quarter(DateTimeOffset.FromUnixTimeSeconds(end), team.TimeZone);
        if (quarter.To.ToUnixTimeSeconds() != end) return null;
        return new LinkAnswer(ContentType: "text/markdown; charset=utf-8", Body: await MarkdownAsync(db, team, quarter, ct), FileName: FileName(team, quarter));
    }

    private static string FileName(Team team, DigestWindow quarter) =>
        $"ops03-{team.Key}-{TimeZones.LocalDate(quarter.To.AddTicks(-1), team.TimeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.md";

    private static string Period(Team team, DigestWindow quarter) =>
        $"{TimeZones.LocalDate(quarter.From, team.TimeZone).ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – " +
        $"{TimeZones.LocalDate(quarter.To.AddTicks(-1), team.TimeZone).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>The report: the quarter's metrics read as one window, and what managers did with the digest.</summary>
    public static async Task<string> MarkdownAsync(BotDbContext db, Team team, DigestWindow quarter, CancellationToken ct)
    {
        var services = await db.Services.AsNoTracking().Where(s => s.TeamKey == team.Key).Select(s => s.Key).ToArrayAsync(ct);
        var facts = await WeekFacts.LoadAsync(db, team, services, quarter, ct);
        var metrics = DigestMetrics.Compute(facts, [], team.TimeZone).ToDictionary(m => m.Name);
        string V(string name) => DigestMessages.Value(metrics[name]);
        double N(string name) => metrics[name].Value ?? 0;

        var purpose = team.Key + ":";
        var leadership = team.Key + ":leadership";
        var cards = db.LivingCards;
        // Direct messages to managers; a leadership channel's copy is not a manager's.
        var delivered = await cards.AsNoTracking().CountAsync(c => c.Subject == "digest" && c.Purpose.StartsWith(purpose) && c.Purpose != leadership && c.MessageId != ""
            && c.ClaimedAt >= quarter.From && c.ClaimedAt < quarter.To, ct);
        var items = db.DigestItems.Where(i => i.TeamKey == team.Key);
        var responses = await db.DigestResponses.AsNoTracking().Where(r => r.At >= quarter.From && r.At < quarter.To && items.Any(i => i.Id == r.ItemId))
            .GroupBy(r => r.Kind).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var sponsored = await items.AsNoTracking().Where(i => i.Responses.Any(r => r.Kind == DigestResponseKind.Sponsor && r.At >= quarter.From && r.At < quarter.To))
            .OrderByDescending(i => i.WeekKey).Take(3).Select(i => i.Text).ToListAsync(ct);
        var factors = await ReviewFacts.FactorTagsAsync(db, team.Key, quarter.From, quarter.To, ct);
        var names = await PersonNames.ByKeyAsync(db, ct);
        var load = DigestMetrics.OnCallLoad(facts, team, names);

        var md = new StringBuilder();
        md.Append("# OPS03 evidence: ").Append(Inline(team.Name)).Append("\n\n");
        md.Append("How does your organizational culture support your business outcomes? What the Ops Culture Bot recorded for ")
            .Append(Inline(team.Name)).Append(", ").Append(Period(team, quarter)).Append(" (13 weeks, ").Append(Inline(team.TimeZone)).Append(").\n\n");

        void Practice(string id, string title, IEnumerable<string> evidence, string? risk)
        {
            md.Append("## ").Append(id).Append(' ').Append(title).Append("\n\n");
            foreach (var line in evidence) md.Append("- ").Append(line).Append('\n');
            md.Append('\n');
            if (risk is not null) md.Append("> **Risk:** ").Append(risk).Append("\n\n");
        }

        var answered = responses.Values.Sum();
        Practice("OPS03-BP01", "Provide executive sponsorship",
        [
            $"Weekly digests delivered to managers: {delivered.ToString(CultureInfo.InvariantCulture)}",
            $"Answers to worth-a-look items: {answered.ToString(CultureInfo.InvariantCulture)} (sponsored {responses.GetValueOrDefault(DigestResponseKind.Sponsor)}, " +
            $"followed up {responses.GetValueOrDefault(DigestResponseKind.Unblock)}, seen {responses.GetValueOrDefault(DigestResponseKind.Seen)})",
            .. sponsored.Select(s => "Sponsored: " + Inline(s)),
        ], delivered == 0 ? "no digest reached a manager this quarter: leadership cannot sponsor what it does not see." :
            answered == 0 ? "managers received digests but answered none of their items: sponsorship is not visible." : null);
        Practice("OPS03-BP02", "Team members are empowered to take action when outcomes are at risk",
        [
            $"Escalations raised: {V("Escalations raised")}, by {V("People who escalated")} people",
            $"Incidents: {V("Incidents")}; time to recover (median): {V("MTTR (median)")}",
            $"Action items opened from reviews: {V("Action items opened")}, done: {V("Action items done")}",
        ], N("Escalations raised") + N("Incidents") == 0 ? "no escalations or incidents were recorded: either a calm quarter, or problems are handled outside the bot." : null);
        Practice("OPS03-BP03", "Escalation is encouraged",
        [
            $"People who escalated: {V("People who escalated")}",
            $"False alarms that were still the right call (thanked, counted as healthy): {V("False alarms, still the right call")}",
            $"Time to acknowledge: median {V("Time to acknowledge (median)")}, p90 {V("Time to acknowledge (p90)")}",
            $"Re-escalations (nobody acknowledged in time): {V("Re-escalations")}",
        ], N("People who escalated") < 2 ? "fewer than two people escalated this quarter: escalating may not feel normal yet." : null);
        Practice("OPS03-BP04", "Communications are timely, clear, and actionable",
        [
            $"Incidents acknowledged: MTTA median {V("MTTA (median)")}",
            $"Reviews completed and their learnings shared: {V("Reviews completed")} of {V("Reviews due")} due",
            $"Working days to complete a review (median): {V("Working days to complete a review (median)")}",
        ], N("Reviews due") > 0 && N("Reviews completed") < N("Reviews due") / 2 ? "fewer than half of the reviews due were completed: learnings are not reaching people." : null);
        Practice("OPS03-BP05", "Experimentation is encouraged",
        [
            $"Experiments proposed: {V("Experiments proposed")}, approved: {V("Experiments approved")}",
            $"Concluded: {V("Experiments concluded")}, adopted: {V("Experiments adopted")}",
        ], N("Experiments proposed") == 0 ? "no improvement experiments were proposed this quarter." : null);
        Practice("OPS03-BP06", "Team members are encouraged to maintain and grow their skill sets",
        [
            $"Contributors per completed review (median): {V("Contributors per completed review (median)")}",
            factors.Count == 0 ? "Contributing factors tagged in reviews: none" :
                "Contributing factors tagged in reviews: " + string.Join(", ", factors.Take(5).Select(f => $"{Inline(f.Tag)} ×{f.Count.ToString(CultureInfo.InvariantCulture)}")),
            .. factors.Where(f => f.Count >= DigestMessages.RecurringAt).Select(f => $"Recurring factor, training suggested: {Inline(f.Tag)}"),
        ], N("Reviews completed") == 0 ? "no completed reviews: there is little recorded learning to grow skills from." : null);
        Practice("OPS03-BP07", "Resource teams appropriately",
        [
            $"End-of-shift check-ins answered: {V("Check-ins answered")}; load, 1–5 (median): {V("On-call load, 1–5 (median)")}",
            $"Shifts with sleep interrupted: {V("Shifts with sleep interrupted")}",
            $"Pages out of working hours: {V("Out-of-hours share")}",
            .. load.Select(l => "On-call load: " + Inline(l)),
        ], metrics["Check-ins answered"].Value is null or 0 ? "no on-call check-ins were answered: the team's load is not measured." :
            N("On-call load, 1–5 (median)") >= 4 ? "the median on-call load is heavy (4 or more of 5)." : null);
        md.Append("---\n\n_Generated by the Ops Culture Bot from what it recorded; \"no data yet\" means nothing was recorded to compute it from._\n");
        return md.ToString();
    }
}
