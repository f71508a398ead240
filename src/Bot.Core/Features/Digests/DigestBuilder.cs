using System.Globalization;
using Bot.Core.Directory;
using Bot.Core.Features.Experiments;
using Bot.Core.Features.Reviews;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Digests;

/// <summary>Builds a team's digest for a window: its facts, the same facts for the four weeks before, and what is worth a look.</summary>
public static class DigestBuilder
{
    /// <summary>
    /// The team's digest. Without <paramref name="forManagers"/> only the totals the public summary shows are read:
    /// no worth-a-look items are kept, no answers or people read.
    /// </summary>
    public static async Task<DigestMessages.Digest> BuildAsync(BotDbContext db, Team team, DigestWindow window, bool soFar, DateTimeOffset now,
        CancellationToken ct, bool forManagers = true)
    {
        var zone = team.TimeZone;
        var serviceNames = await db.Services.AsNoTracking().Where(s => s.TeamKey == team.Key).ToDictionaryAsync(s => s.Key, s => s.Name, ct);
        var services = serviceNames.Keys.ToArray();
        // A week so far is read up to now (what was recorded this very moment included): nothing due later in the week
        // counts as overdue yet.
        var upTo = soFar && now < window.To ? now.AddMilliseconds(1) : window.To;
        var weeks = await WeekFacts.LoadWeeksAsync(db, team, services, [window with { To = upTo }, .. DigestWeeks.Preceding(window, zone, 4)], ct);
        var (week, previous) = (weeks[0], weeks.Skip(1).ToArray());
        var metrics = DigestMetrics.Compute(week, previous, zone);
        if (!forManagers) return new DigestMessages.Digest(team, window, soFar, metrics, week.Quiet, [], [], [], [], [], 0, []);
        var factors = await ReviewFacts.FactorTagsAsync(db, team.Key, DigestWeeks.Preceding(window, zone, 7).Last().From, upTo, ct);
        var worth = WorthALook(metrics, factors, await ReviewFacts.OverdueAsync(db, team.Key, upTo, ct),
            await ExperimentFacts.AwaitingApprovalAsync(db, team.Key, ct));
        var weekKey = window.Key(zone);
        var items = await DigestItems.SaveAsync(db, team.Key, weekKey, worth, now, ct, final: !soFar);
        var lastWeek = await DigestItems.AnsweredAsync(db, team.Key, DigestWeeks.Preceding(window, zone, 1).Single().Key(zone), ct);
        var names = await PersonNames.ByKeyAsync(db, ct);
        return new DigestMessages.Digest(team, window, soFar, metrics, week.Quiet, factors, items, DigestMetrics.IncidentsByService(week, serviceNames),
            DigestMetrics.OnCallLoad(week, team, names), week.CheckIns.Where(c => c.WhatHurt is not null).Select(c => (names.GetValueOrDefault(c.PersonKey, c.PersonKey), c.WhatHurt!)).ToArray(),
            week.CheckIns.Count(c => c.Wrote && c.WhatHurt is null), lastWeek);
    }

    /// <summary>Up to three things a manager could act on, chosen by rule in this order.</summary>
    public static IReadOnlyList<WorthItem> WorthALook(IReadOnlyList<MetricValue> metrics, IReadOnlyList<(string Tag, int Count)> factors, int overdueReviews,
        int awaitingApproval)
    {
        MetricValue M(string name) => metrics.Single(m => m.Name == name);
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var items = new List<WorthItem>();
        if (overdueReviews > 0)
            items.Add(new(DigestItems.OverdueReviews, $"{overdueReviews} review{(overdueReviews == 1 ? " is" : "s are")} past the due window: time set aside or a hand-over may help."));
        if (awaitingApproval > 0)
            items.Add(new(DigestItems.AwaitingApproval, $"{awaitingApproval} production experiment{(awaitingApproval == 1 ? " waits" : "s wait")} for approval by a sponsor or a manager."));
        if (M("MTTR (median)") is { Value: { } mttr, Baseline: { } mttrBefore } && mttr > 1.5 * mttrBefore && mttr - mttrBefore >= 10)
            items.Add(new(DigestItems.Mttr, $"MTTR rose to {N(mttr)} min from an average of {N(mttrBefore)}: worth asking what slowed recovery."));
        if (M("Action items overdue") is { Value: > 0 } overdue)
            items.Add(new(DigestItems.OverdueActions, $"{N(overdue.Value!.Value)} action item{(overdue.Value == 1 ? " is" : "s are")} overdue."));
        if (M("Time to acknowledge (p90)") is { Value: { } tta, Baseline: { } ttaBefore } && tta > 1.5 * ttaBefore && tta - ttaBefore >= 5)
            items.Add(new(DigestItems.SlowAcknowledgements, $"Slow acknowledgements: p90 {N(tta)} min against {N(ttaBefore)} before. Is the on-call overloaded?"));
        if (factors.FirstOrDefault(f => f.Count >= DigestMessages.RecurringAt) is { Tag: { } tag } recurring)
            items.Add(new(DigestItems.RecurringFactor, $"\"{tag}\" was a contributing factor {recurring.Count} times in 8 weeks: a training or design session could help."));
        return items.Take(3).ToArray();
    }
}
