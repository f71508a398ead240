using System.Globalization;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Experiments;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Storage;

namespace Bot.Core.Features.Digests;

/// <summary>What the team's features recorded in one window, read as small filtered projections in the database.</summary>
public sealed record WeekFacts(
    DigestWindow Window,
    IReadOnlyList<EscalationFact> Escalations,
    IReadOnlyList<IncidentFact> Incidents,
    int Deployments,
    int FailedDeployments,
    IReadOnlyList<ReviewFact> Reviews,
    IReadOnlyList<ActionItemFact> ActionItems,
    ExperimentCounts Experiments,
    IReadOnlyList<CheckInFact> CheckIns)
{
    public static async Task<WeekFacts> LoadAsync(BotDbContext db, Team team, IReadOnlyCollection<string> serviceKeys, DigestWindow w, CancellationToken ct) =>
        (await LoadWeeksAsync(db, team, serviceKeys, [w], ct))[0];

    /// <summary>
    /// The facts of several windows, read once over the span they cover (one filtered query per source) and split by
    /// window here: a digest and its four-week baseline cost the queries of one.
    /// </summary>
    public static async Task<IReadOnlyList<WeekFacts>> LoadWeeksAsync(BotDbContext db, Team team, IReadOnlyCollection<string> serviceKeys,
        IReadOnlyList<DigestWindow> windows, CancellationToken ct)
    {
        var (from, to) = (windows.Min(w => w.From), windows.Max(w => w.To));
        var escalations = await EscalationFacts.RaisedAsync(db, team.Key, from, to, ct);
        var incidents = await IncidentFacts.OpenedAsync(db, team.Key, from, to, ct);
        var deployments = await IncidentFacts.DeploymentsAsync(db, serviceKeys, from, to, ct);
        var reviews = await ReviewFacts.DueOrCompletedAsync(db, team.Key, from, to, ct);
        var items = await ReviewFacts.ActionItemsAsync(db, team.Key, from, to, ct);
        var experiments = await ExperimentFacts.ActivityAsync(db, team.Key, from, to, ct);
        var checkIns = await CheckInFacts.EndedAsync(db, team.Key, from, to, ct);
        return windows.Select(w =>
        {
            bool In(DateTimeOffset at) => at >= w.From && at < w.To;
            var deployed = deployments.Where(d => In(d.DeployedAt)).ToArray();
            return new WeekFacts(w,
                escalations.Where(e => In(e.RaisedAt)).ToArray(),
                incidents.Where(i => In(i.OpenedAt)).ToArray(),
                deployed.Length, deployed.Count(d => d.Failed),
                reviews.Where(r => In(r.DueAt) || (r.CompletedAt is { } c && In(c))).ToArray(),
                items.Where(a => a.CreatedAt < w.To && (a.ClosedAt is null || a.ClosedAt >= w.From)).ToArray(),
                experiments.CountsIn(w.From, w.To),
                checkIns.Where(c => In(c.ShiftEndedAt)).ToArray());
        }).ToArray();
    }

    public bool Quiet => Escalations.Count == 0 && Incidents.Count == 0 && Reviews.Count == 0 && ActionItems.Count == 0
                         && Experiments == new ExperimentCounts(0, 0, 0, 0) && CheckIns.Count == 0;
}

/// <summary>One number of the digest: null when its source has recorded nothing to compute it from ("no data yet").</summary>
public sealed record MetricValue(string Name, double? Value, string Unit, double? Baseline = null, bool HigherIsBetter = true);

/// <summary>
/// The digest's metrics, each a small named function of one week's facts; <see cref="Compute"/> adds each one's average
/// over the previous four weeks. False alarms that were still the right call count as healthy escalations.
/// </summary>
public static class DigestMetrics
{
    public delegate MetricValue Metric(WeekFacts week, string zone);

    public static readonly IReadOnlyList<Metric> All =
    [
        EscalationsRaised, PeopleWhoEscalated, TimeToAcknowledgeMedian, TimeToAcknowledgeP90, Reescalations,
        ResolvedFixed, FalseAlarmsStillRight, ResolvedHandedOver, ResolvedNeedsReview,
        Incidents, MttaMedian, MttaP90, MttrMedian, MttrP90, ChangeFailureRate,
        ReviewsCompleted, ReviewsDue, WorkingDaysToComplete, ReviewParticipation, ActionItemsOpened, ActionItemsDone, ActionItemsOverdue,
        ExperimentsProposed, ExperimentsApproved, ExperimentsConcluded, ExperimentsAdopted,
        OutOfHoursShare, CheckInsAnswered, CheckInLoadMedian, SleepInterrupted,
    ];

    public static MetricValue EscalationsRaised(WeekFacts w, string zone) => new("Escalations raised", w.Escalations.Count, "");

    public static MetricValue PeopleWhoEscalated(WeekFacts w, string zone) =>
        new("People who escalated", w.Escalations.Select(e => e.RaisedBy).Distinct(StringComparer.Ordinal).Count(), "");

    public static MetricValue TimeToAcknowledgeMedian(WeekFacts w, string zone) =>
        new("Time to acknowledge (median)", Percentile(Minutes(w.Escalations.Select(e => (e.RaisedAt, e.AcknowledgedAt))), 0.5), "min", HigherIsBetter: false);

    public static MetricValue TimeToAcknowledgeP90(WeekFacts w, string zone) =>
        new("Time to acknowledge (p90)", Percentile(Minutes(w.Escalations.Select(e => (e.RaisedAt, e.AcknowledgedAt))), 0.9), "min", HigherIsBetter: false);

    public static MetricValue Reescalations(WeekFacts w, string zone) => new("Re-escalations", w.Escalations.Sum(e => e.Reescalations), "", HigherIsBetter: false);

    public static MetricValue FalseAlarmsStillRight(WeekFacts w, string zone) =>
        new("False alarms, still the right call", w.Escalations.Count(e => e.Outcome == EscalationOutcome.FalseAlarm), "");

    public static MetricValue ResolvedFixed(WeekFacts w, string zone) =>
        new("Resolved as fixed", w.Escalations.Count(e => e.Outcome == EscalationOutcome.Fixed), "");

    public static MetricValue ResolvedHandedOver(WeekFacts w, string zone) =>
        new("Handed to another team", w.Escalations.Count(e => e.Outcome == EscalationOutcome.HandedOver), "");

    public static MetricValue ResolvedNeedsReview(WeekFacts w, string zone) =>
        new("Resolved as needing a review", w.Escalations.Count(e => e.Outcome == EscalationOutcome.NeedsReview), "");

    public static MetricValue Incidents(WeekFacts w, string zone) => new("Incidents", w.Incidents.Count, "", HigherIsBetter: false);

    public static MetricValue MttaMedian(WeekFacts w, string zone) =>
        new("MTTA (median)", Percentile(Minutes(w.Incidents.Select(i => (i.OpenedAt, i.AcknowledgedAt))), 0.5), "min", HigherIsBetter: false);

    public static MetricValue MttaP90(WeekFacts w, string zone) =>
        new("MTTA (p90)", Percentile(Minutes(w.Incidents.Select(i => (i.OpenedAt, i.AcknowledgedAt))), 0.9), "min", HigherIsBetter: false);

    public static MetricValue MttrMedian(WeekFacts w, string zone) =>
        new("MTTR (median)", Percentile(Minutes(w.Incidents.Select(i => (i.OpenedAt, i.ResolvedAt))), 0.5), "min", HigherIsBetter: false);

    public static MetricValue MttrP90(WeekFacts w, string zone) =>
        new("MTTR (p90)", Percentile(Minutes(w.Incidents.Select(i => (i.OpenedAt, i.ResolvedAt))), 0.9), "min", HigherIsBetter: false);

    /// <summary>Deployments an incident points at, over all deployments of the team's services; no data without deployments.</summary>
    public static MetricValue ChangeFailureRate(WeekFacts w, string zone) =>
        new("Change failure rate", w.Deployments == 0 ? null : Math.Round(100.0 * w.FailedDeployments / w.Deployments, 1), "%", HigherIsBetter: false);

    public static MetricValue ReviewsCompleted(WeekFacts w, string zone) =>
        new("Reviews completed", w.Reviews.Count(r => r.CompletedAt is { } c && c >= w.Window.From && c < w.Window.To), "");

    public static MetricValue ReviewsDue(WeekFacts w, string zone) =>
        new("Reviews due", w.Reviews.Count(r => r.DueAt >= w.Window.From && r.DueAt < w.Window.To), "", HigherIsBetter: false);

    public static MetricValue WorkingDaysToComplete(WeekFacts w, string zone) =>
        new("Working days to complete a review (median)", Percentile(w.Reviews
            .Where(r => r.CompletedAt is { } c && c >= w.Window.From && c < w.Window.To)
            .Select(r => (double)WorkingTime.WorkingDaysBetween(r.ResolvedAt, r.CompletedAt!.Value, zone)).ToArray(), 0.5), "days", HigherIsBetter: false);

    public static MetricValue ReviewParticipation(WeekFacts w, string zone) =>
        new("Contributors per completed review (median)", Percentile(w.Reviews
            .Where(r => r.CompletedAt is { } c && c >= w.Window.From && c < w.Window.To).Select(r => (double)r.Contributors).ToArray(), 0.5), "");

    public static MetricValue ActionItemsOpened(WeekFacts w, string zone) =>
        new("Action items opened", w.ActionItems.Count(a => a.CreatedAt >= w.Window.From), "");

    public static MetricValue ActionItemsDone(WeekFacts w, string zone) =>
        new("Action items done", w.ActionItems.Count(a => a.Status == "Done" && a.ClosedAt is { } c && c < w.Window.To), "");

    /// <summary>Open at the end of the window and past their due date in the team's zone.</summary>
    public static MetricValue ActionItemsOverdue(WeekFacts w, string zone)
    {
        var lastDay = TimeZones.LocalDate(w.Window.To.AddTicks(-1), zone);
        return new("Action items overdue", w.ActionItems.Count(a => (a.ClosedAt is null || a.ClosedAt >= w.Window.To) && a.Status != "NotDoing" && a.DueOn < lastDay),
            "", HigherIsBetter: false);
    }

    public static MetricValue ExperimentsProposed(WeekFacts w, string zone) => new("Experiments proposed", w.Experiments.Proposed, "");

    public static MetricValue ExperimentsApproved(WeekFacts w, string zone) => new("Experiments approved", w.Experiments.Approved, "");

    public static MetricValue ExperimentsConcluded(WeekFacts w, string zone) => new("Experiments concluded", w.Experiments.Concluded, "");

    public static MetricValue ExperimentsAdopted(WeekFacts w, string zone) => new("Experiments adopted", w.Experiments.Adopted, "");

    /// <summary>
    /// The share of pages (incidents opened and escalations raised) that came outside working hours in the team's zone;
    /// no data without pages.
    /// </summary>
    public static MetricValue OutOfHoursShare(WeekFacts w, string zone)
    {
        var pages = w.Incidents.Select(i => i.OpenedAt).Concat(w.Escalations.Select(e => e.RaisedAt)).ToArray();
        return new("Out-of-hours share", pages.Length == 0 ? null : Math.Round(100.0 * pages.Count(p => !WorkingTime.IsWorkingHours(p, zone)) / pages.Length, 1),
            "%", HigherIsBetter: false);
    }

    /// <summary>Check-ins answered of the shifts that ended in the window; no data when no shift ended.</summary>
    public static MetricValue CheckInsAnswered(WeekFacts w, string zone) =>
        new("Check-ins answered", w.CheckIns.Count == 0 ? null : w.CheckIns.Count(c => c.Load is not null), "");

    public static MetricValue CheckInLoadMedian(WeekFacts w, string zone) =>
        new("On-call load, 1–5 (median)", Percentile(w.CheckIns.Where(c => c.Load is not null).Select(c => (double)c.Load!.Value).ToArray(), 0.5), "",
            HigherIsBetter: false);

    public static MetricValue SleepInterrupted(WeekFacts w, string zone) =>
        new("Shifts with sleep interrupted", w.CheckIns.Any(c => c.Load is not null) ? w.CheckIns.Count(c => c.SleepInterrupted == true) : null, "",
            HigherIsBetter: false);

    /// <summary>
    /// Pages and escalations per person: each incident and escalation counts for whoever was primary on-call when it
    /// came, per the team's rotation, with how many came out of hours. "Ana: 3 incidents, 2 escalations (2 out of hours)".
    /// </summary>
    public static IReadOnlyList<string> OnCallLoad(WeekFacts w, Team team, IReadOnlyDictionary<string, string> names)
    {
        if (team.OnCall.Members.Count == 0) return [];
        var pages = w.Incidents.Select(i => (At: i.OpenedAt, Incident: true)).Concat(w.Escalations.Select(e => (At: e.RaisedAt, Incident: false)));
        return pages.GroupBy(p => OnCallSchedule.At(team, p.At).Primary ?? "")
            .Where(g => g.Key.Length > 0)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var incidents = g.Count(p => p.Incident);
                var escalations = g.Count() - incidents;
                var outOfHours = g.Count(p => !WorkingTime.IsWorkingHours(p.At, team.TimeZone));
                return $"{names.GetValueOrDefault(g.Key, g.Key)}: {Count(incidents, "incident")}, {Count(escalations, "escalation")}" +
                       (outOfHours > 0 ? $" ({outOfHours.ToString(CultureInfo.InvariantCulture)} out of hours)" : "");
            }).ToArray();
    }

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>
    /// Incidents by service and impact, with the customer impact (time to recover of impact 1–3 incidents) per service:
    /// "Checkout: 2 (1 · Critical ×1, 2 · High ×1), customers affected 1 h 30 min".
    /// </summary>
    public static IReadOnlyList<string> IncidentsByService(WeekFacts w, IReadOnlyDictionary<string, string> serviceNames) =>
        w.Incidents.GroupBy(i => i.ServiceKey ?? "")
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var name = g.Key.Length == 0 ? "No service" : serviceNames.GetValueOrDefault(g.Key, g.Key);
                var impacts = string.Join(", ", g.GroupBy(i => i.Impact).OrderBy(x => x.Key)
                    .Select(x => $"{IncidentImpact.Label(x.Key)} ×{x.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
                var affected = g.Where(i => i.Impact <= 3 && i.ResolvedAt is not null).Aggregate(TimeSpan.Zero, (sum, i) => sum + (i.ResolvedAt!.Value - i.OpenedAt));
                return $"{name}: {g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)} ({impacts})" +
                       (affected > TimeSpan.Zero ? $", customers affected {Conversation.Durations.Format(affected)}" : "");
            }).ToArray();

    /// <summary>Every metric for <paramref name="week"/>, each with its average over <paramref name="previous"/> weeks that had data.</summary>
    public static IReadOnlyList<MetricValue> Compute(WeekFacts week, IReadOnlyList<WeekFacts> previous, string zone) =>
        All.Select(metric =>
        {
            var value = metric(week, zone);
            var before = previous.Select(p => metric(p, zone).Value).Where(v => v is not null).Select(v => v!.Value).ToArray();
            return value with { Baseline = before.Length == 0 ? null : Math.Round(before.Average(), 1) };
        }).ToArray();

    /// <summary>Minutes from each start to its end, for those that ended.</summary>
    public static double[] Minutes(IEnumerable<(DateTimeOffset Start, DateTimeOffset? End)> spans) =>
        spans.Where(s => s.End is not null).Select(s => Math.Max(0, (s.End!.Value - s.Start).TotalMinutes)).ToArray();

    /// <summary>The nearest-rank percentile (0.5 the median), rounded to one decimal; null for no values.</summary>
    public static double? Percentile(double[] values, double p)
    {
        if (values.Length == 0) return null;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank, 1, sorted.Length) - 1], 1);
    }
}
