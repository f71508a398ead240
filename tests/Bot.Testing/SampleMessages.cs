using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Digests;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Experiments;

namespace Bot.Testing;

/// <summary>One message of every block kind, shared by the renderers' golden tests so each channel renders the same input.</summary>
public static class SampleMessages
{
    public static Message EveryBlock { get; } = Message.Build("Escalation #7 for Payments")
        .Header("🚨 Escalation #7: checkout fails")
        .Fields(new Field("Service", "Checkout"), new Field("Urgency", "Now"))
        .Text("*What has been tried:*\nRestarted the pods")
        .Context("Paging Primary on-call (Bea Okafor)")
        .Buttons(new Button(EscalationMessages.Acknowledge, "Acknowledge", "7", ButtonStyle.Primary), new Button(EscalationMessages.Resolve, "Resolve", "7", ButtonStyle.Danger))
        .Image("https://bot.example.com/chart.png", "Chart")
        .Done();

    /// <summary>What people and tools write, in every block that shows text: mentions, disguised links, markup, entities.</summary>
    public const string Hostile = "<!channel> <https://evil.example/sso|Open runbook> [Open runbook](https://evil.example) <@U0LEE00004> & &amp; <b>bold</b>";

    public static Message HostileEverywhere { get; } = Message.Build("Escalation #7: " + Hostile)
        .Header(Hostile)
        .Fields(new Field("Summary", Hostile))
        .Text("*Summary:* " + Hostile)
        .Context("Raised by " + Hostile)
        .Done();

    /// <summary>
    /// The experiments' and digests' messages with <see cref="Hostile"/> in everything people write there (titles,
    /// hypotheses, concerns, notes, names, team names, factor tags, what hurt, worth-a-look texts), for every renderer.
    /// </summary>
    public static IReadOnlyList<(string Name, Message Message)> HostileFeatureMessages()
    {
        var team = new Team { Key = "payments", Name = "Payments " + Hostile };
        var changes = new ExperimentTransition { From = ExperimentStatus.Proposed, To = ExperimentStatus.ChangesRequested, By = Hostile, Note = Hostile };
        var e = new Experiment
        {
            Id = 4, TeamKey = "payments", Title = Hostile, Hypothesis = Hostile, Metric = Hostile, Threshold = Hostile, Rollback = Hostile,
            Radius = BlastRadius.LimitedProduction, Status = ExperimentStatus.ChangesRequested, ProposerKey = "sam", ProposerName = Hostile,
            SponsorKey = "ana", ChangesNote = Hostile, DecidedBy = Hostile, Outcome = ExperimentOutcome.Adopt, Result = Hostile, Learning = Hostile,
            StartsOn = new DateOnly(2026, 11, 24), EndsOn = new DateOnly(2026, 12, 4),
            Transitions = [changes], Concerns = [new ExperimentConcern { ByKey = "kim", ByName = Hostile, Text = Hostile }],
        };
        var names = new Dictionary<string, string> { ["ana"] = Hostile, ["sam"] = Hostile, ["kim"] = Hostile };
        var window = new DigestWindow(new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 29, 23, 0, 0, TimeSpan.Zero));
        var week = new WeekFacts(window, [], [], 0, 0, [], [], new ExperimentCounts(1, 0, 0, 0), []);
        var digest = new DigestMessages.Digest(team, window, false, DigestMetrics.Compute(week, [], "Europe/Berlin"), false, [(Hostile, 3)],
            [new WorthItem("recurring-factor", Hostile, 1)], [Hostile], [Hostile], [(Hostile, Hostile)], 1,
            [new AnsweredItem(Hostile, [(Hostile, DigestResponseKind.Sponsor)])]);
        return
        [
            ("experiment card", ExperimentMessages.Card(e, team, names)),
            ("experiment moved", ExperimentMessages.Moved(e, changes)),
            ("experiment reminder", ExperimentMessages.Reminder(e, ExperimentReminders.Moment.Due, 0)),
            ("experiment results", ExperimentMessages.Results(e, team)),
            ("experiment list", ExperimentMessages.List([e], [e])),
            ("digest", DigestMessages.Full(digest)),
            ("digest for a channel", DigestMessages.Full(digest, forChannel: true)),
            ("digest summary", DigestMessages.Public(digest)),
        ];
    }
}
