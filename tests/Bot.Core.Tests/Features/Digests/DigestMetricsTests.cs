using Bot.Core.Features.Digests;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Experiments;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;

namespace Bot.Core.Tests.Features.Digests;

/// <summary>The digest's metrics against hand-computed expectations on small fixtures.</summary>
public sealed class DigestMetricsTests
{
    private const string Berlin = "Europe/Berlin";
    private static readonly DigestWindow Week = DigestWeeks.Containing(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), Berlin);
    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    private static WeekFacts Facts(IReadOnlyList<EscalationFact>? escalations = null, IReadOnlyList<IncidentFact>? incidents = null, int deployments = 0,
        int failed = 0, IReadOnlyList<ReviewFact>? reviews = null, IReadOnlyList<ActionItemFact>? items = null, ExperimentCounts? experiments = null,
        IReadOnlyList<CheckInFact>? checkIns = null) =>
        new(Week, escalations ?? [], incidents ?? [], deployments, failed, reviews ?? [], items ?? [], experiments ?? new ExperimentCounts(0, 0, 0, 0),
            checkIns ?? []);

    private static double? Value(DigestMetrics.Metric metric, WeekFacts facts) => metric(facts, Berlin).Value;

    [Fact]
    public void AWeek_IsMondayToMonday_InTheTeamsZone()
    {
        Assert.Equal((At(22, 23), At(29, 23)), (Week.From, Week.To));
        Assert.Equal("2026-W48", Week.Label(Berlin));
    }

    [Theory]
    // The week the clocks go back in Berlin (25 October) has 169 hours; the one they go forward (29 March) 167.
    [InlineData("2026-10-21T12:00:00Z", "Europe/Berlin", "2026-10-18T22:00:00Z", 169)]
    [InlineData("2026-03-25T12:00:00Z", "Europe/Berlin", "2026-03-22T23:00:00Z", 167)]
    // New York goes back on 1 November.
    [InlineData("2026-10-28T12:00:00Z", "America/New_York", "2026-10-26T04:00:00Z", 169)]
    public void DstWeeks_HaveTheirRealLength(string at, string zone, string monday, int hours)
    {
        var week = DigestWeeks.Containing(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), zone);
        Assert.Equal(DateTimeOffset.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), week.From);
        Assert.Equal(hours, (week.To - week.From).TotalHours);
    }

    [Fact]
    public void TeamsInDifferentZones_CountTheSameMomentInDifferentWeeks()
    {
        var lateSunday = At(29, 23, 30); // Monday 00:30 in Berlin, Sunday 18:30 in New York
        Assert.Equal("2026-W49", DigestWeeks.Containing(lateSunday, Berlin).Label(Berlin));
        Assert.Equal("2026-W48", DigestWeeks.Containing(lateSunday, "America/New_York").Label("America/New_York"));
        Assert.Equal(DigestWeeks.Containing(At(25, 12), Berlin), DigestWeeks.Before(At(30, 8), Berlin));
    }

    [Fact]
    public void Escalations_CountPeopleTimesAndOutcomes_FalseAlarmsAsHealthy()
    {
        var facts = Facts(escalations:
        [
            new(At(23, 9), At(23, 9, 4), "sam", EscalationOutcome.Fixed, 0),
            new(At(24, 9), At(24, 9, 10), "ana", EscalationOutcome.FalseAlarm, 1),
            new(At(24, 10), At(24, 10, 2), "sam", EscalationOutcome.NeedsReview, 0),
            new(At(25, 10), null, "kim", null, 2),
        ]);
        Assert.Equal(4, Value(DigestMetrics.EscalationsRaised, facts));
        Assert.Equal(3, Value(DigestMetrics.PeopleWhoEscalated, facts));
        Assert.Equal(4, Value(DigestMetrics.TimeToAcknowledgeMedian, facts)); // 2, 4, 10: the median is 4
        Assert.Equal(10, Value(DigestMetrics.TimeToAcknowledgeP90, facts));
        Assert.Equal(3, Value(DigestMetrics.Reescalations, facts));
        Assert.Equal(1, Value(DigestMetrics.FalseAlarmsStillRight, facts));
        Assert.Equal<(double?, double?, double?)>((1, 0, 1), (Value(DigestMetrics.ResolvedFixed, facts), Value(DigestMetrics.ResolvedHandedOver, facts), Value(DigestMetrics.ResolvedNeedsReview, facts)));
        Assert.True(DigestMetrics.FalseAlarmsStillRight(facts, Berlin).HigherIsBetter);
    }

    [Fact]
    public void Incidents_MttaMttrAndChangeFailureRate()
    {
        var facts = Facts(incidents:
        [
            new("checkout", 1, At(23, 9), At(23, 9, 5), At(23, 10), "d-1"),
            new("checkout", 2, At(24, 9), At(24, 9, 1), At(24, 9, 30), null),
            new("payments-api", 3, At(25, 9), null, null, null),
        ], deployments: 8, failed: 2);
        Assert.Equal(3, Value(DigestMetrics.Incidents, facts));
        Assert.Equal(1, Value(DigestMetrics.MttaMedian, facts)); // 1 and 5: the nearest-rank median is the lower
        Assert.Equal(5, Value(DigestMetrics.MttaP90, facts));
        Assert.Equal(30, Value(DigestMetrics.MttrMedian, facts)); // 30 and 60
        Assert.Equal(60, Value(DigestMetrics.MttrP90, facts));
        Assert.Equal(25, Value(DigestMetrics.ChangeFailureRate, facts));
        Assert.Equal(["Checkout: 2 (1 · Critical ×1, 2 · High ×1), customers affected 1 h 30 min", "payments-api: 1 (3 · Medium ×1)"],
            DigestMetrics.IncidentsByService(facts, new Dictionary<string, string> { ["checkout"] = "Checkout" }));
    }

    [Fact]
    public void Reviews_CompletedAgainstDue_WorkingDays_Participation_ActionItems()
    {
        var facts = Facts(reviews:
        [
            // Resolved Friday 20 Nov, completed Wednesday 25 Nov: 3 working days (Mon, Tue, Wed).
            new(At(20, 15), At(27, 15), At(25, 12), 3),
            new(At(18, 15), At(25, 15), null, 1),
            new(At(16, 15), At(23, 15), At(24, 9), 2),
        ], items:
        [
            new(At(23, 10), new DateOnly(2026, 11, 25), "Open", null),
            new(At(20, 10), new DateOnly(2026, 11, 24), "Done", At(24, 9)),
            new(At(23, 10), new DateOnly(2026, 12, 10), "Open", null),
            new(At(10, 10), new DateOnly(2026, 11, 20), "NotDoing", At(23, 9)),
        ]);
        Assert.Equal(2, Value(DigestMetrics.ReviewsCompleted, facts));
        Assert.Equal(3, Value(DigestMetrics.ReviewsDue, facts));
        Assert.Equal(3, Value(DigestMetrics.WorkingDaysToComplete, facts)); // 6 and 3 working days: nearest-rank median 3
        Assert.Equal(2, Value(DigestMetrics.ReviewParticipation, facts));
        Assert.Equal(2, Value(DigestMetrics.ActionItemsOpened, facts));
        Assert.Equal(1, Value(DigestMetrics.ActionItemsDone, facts));
        Assert.Equal(1, Value(DigestMetrics.ActionItemsOverdue, facts));
    }

    [Fact]
    public void AnEmptyWeek_CountsZero_AndHasNoDataForTimes()
    {
        var facts = Facts();
        Assert.True(facts.Quiet);
        Assert.Equal(0, Value(DigestMetrics.EscalationsRaised, facts));
        Assert.Null(Value(DigestMetrics.TimeToAcknowledgeMedian, facts));
        Assert.Null(Value(DigestMetrics.MttrMedian, facts));
        Assert.Null(Value(DigestMetrics.ChangeFailureRate, facts));
        Assert.Null(Value(DigestMetrics.WorkingDaysToComplete, facts));
        Assert.Equal("no data yet", DigestMessages.Value(DigestMetrics.ChangeFailureRate(facts, Berlin)));
    }

    [Fact]
    public void Baselines_AverageTheWeeksBeforeThatHadData_AndArrowsShowTheChange()
    {
        var week = Facts(escalations: [new(At(23, 9), At(23, 9, 12), "sam", null, 0)]);
        var before = new[]
        {
            Facts(escalations: [new(At(16, 9), At(16, 9, 4), "sam", null, 0), new(At(16, 10), At(16, 10, 4), "bea", null, 0)]),
            Facts(),
            Facts(escalations: [new(At(2, 9), At(2, 9, 8), "kim", null, 0)]),
            Facts(),
        };
        var metrics = DigestMetrics.Compute(week, before, Berlin);
        var raised = metrics.Single(m => m.Name == "Escalations raised");
        Assert.Equal((1, 0.8), (raised.Value!.Value, raised.Baseline!.Value)); // (2 + 0 + 1 + 0) / 4
        Assert.Equal("1 ↑ (avg 0.8)", DigestMessages.Value(raised));
        var tta = metrics.Single(m => m.Name == "Time to acknowledge (median)");
        Assert.Equal("12 min ↑ (avg 6)", DigestMessages.Value(tta)); // weeks with data only: 4 and 8
    }

    [Fact]
    public void WorthALook_PicksThreeByRule()
    {
        var metrics = DigestMetrics.Compute(Facts(incidents: [new("checkout", 1, At(23, 9), At(23, 9, 1), At(23, 11), null)]),
            [Facts(incidents: [new("checkout", 1, At(16, 9), At(16, 9, 1), At(16, 9, 30), null)])], Berlin);
        var items = DigestBuilder.WorthALook(metrics, [("tooling", 3)], overdueReviews: 2, awaitingApproval: 1);
        Assert.Equal(3, items.Count);
        Assert.Equal((DigestItems.OverdueReviews, DigestItems.AwaitingApproval, DigestItems.Mttr), (items[0].Rule, items[1].Rule, items[2].Rule));
        Assert.StartsWith("2 reviews are past the due window", items[0].Text);
        Assert.StartsWith("1 production experiment waits", items[1].Text);
        Assert.StartsWith("MTTR rose to 120 min from an average of 30", items[2].Text);
        Assert.Empty(DigestBuilder.WorthALook(DigestMetrics.Compute(Facts(), [], Berlin), [], 0, 0));
    }

    [Fact]
    public void OnCall_OutOfHoursShare_CountsPagesOutsideWorkingHoursInTheTeamsZone()
    {
        // Tuesday 24 Nov: 08:30 UTC is 09:30 in Berlin (working hours), 17:30 UTC is 18:30 there (out of hours);
        // Saturday 28 Nov 12:00 is a weekend.
        var facts = Facts(escalations: [new(At(24, 8, 30), null, "sam", null, 0), new(At(24, 17, 30), null, "sam", null, 0)],
            incidents: [new("checkout", 2, At(28, 12), null, null, null), new("checkout", 2, At(25, 10), null, null, null)]);
        Assert.Equal(50, Value(DigestMetrics.OutOfHoursShare, facts));
        // The same moment is in working hours in New York (12:30 there) and out of hours in Berlin.
        var oneEvening = Facts(escalations: [new(At(24, 17, 30), null, "sam", null, 0)]);
        Assert.Equal(100, DigestMetrics.OutOfHoursShare(oneEvening, Berlin).Value);
        Assert.Equal(0, DigestMetrics.OutOfHoursShare(oneEvening, "America/New_York").Value);
        Assert.Null(Value(DigestMetrics.OutOfHoursShare, Facts()));
    }

    [Fact]
    public void OnCall_CheckInScores_CountAnswersLoadAndSleep_NoDataWithoutShifts()
    {
        var facts = Facts(checkIns:
        [
            new("bea", At(23, 8), 4, true, true, null),
            new("sam", At(24, 8), 2, false, false, null),
            new("kim", At(25, 8), 5, true, true, "the billing alert"),
            new("raj", At(26, 8), null, null, false, null), // asked, not answered
        ]);
        Assert.Equal(3, Value(DigestMetrics.CheckInsAnswered, facts));
        Assert.Equal(4, Value(DigestMetrics.CheckInLoadMedian, facts));
        Assert.Equal(2, Value(DigestMetrics.SleepInterrupted, facts));
        Assert.Null(Value(DigestMetrics.CheckInsAnswered, Facts()));
        Assert.Null(Value(DigestMetrics.CheckInLoadMedian, Facts()));
        Assert.Null(Value(DigestMetrics.SleepInterrupted, Facts(checkIns: [new("raj", At(26, 8), null, null, false, null)])));
    }

    [Fact]
    public void OnCall_PagesPerPerson_GoToWhoeverWasPrimaryWhenTheyCame()
    {
        var team = new Bot.Core.Directory.Team
        {
            Key = "payments", TimeZone = Berlin,
            OnCall = new() { Members = ["sam", "bea", "kim"], HandoffDay = DayOfWeek.Monday, HandoffTime = new TimeOnly(9, 0), StartsOn = new DateOnly(2026, 1, 5) },
        };
        // Bea's shift runs Monday 23 Nov 09:00 to Monday 30 Nov 09:00 in Berlin; Kim's follows.
        var facts = Facts(escalations: [new(At(24, 9), null, "sam", null, 0), new(At(24, 20), null, "sam", null, 0)],
            incidents: [new("checkout", 2, At(25, 10), null, null, null)]);
        var names = new Dictionary<string, string> { ["bea"] = "Bea Okafor" };
        Assert.Equal(["Bea Okafor: 1 incident, 2 escalations (1 out of hours)"], DigestMetrics.OnCallLoad(facts, team, names));
        Assert.Empty(DigestMetrics.OnCallLoad(facts, new Bot.Core.Directory.Team { TimeZone = Berlin }, names));
    }
}
