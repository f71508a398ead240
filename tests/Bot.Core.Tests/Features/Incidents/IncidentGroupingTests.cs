using Bot.Core.Conversation;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Features.Incidents;

/// <summary>Alert storms: alerts for one team's service within the window become related alerts of the first, on each provider.</summary>
public abstract class IncidentGroupingTests(TestProvider provider)
{
    private static readonly IncidentOptions FiveMinutes = new();

    private static IncidentReport Alert(string id, string service = "checkout", ReportedStatus status = ReportedStatus.Open, int impact = 2) =>
        new("webhook", id, "Checkout alert " + id, service, impact, status, null, null, null);

    private static Task<(IntakeOutcome Outcome, Incident Incident)> ApplyAsync(CoreHarness core, IncidentReport report, IncidentOptions? options = null) =>
        core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report, core.Clock.GetUtcNow(), CancellationToken.None, options ?? FiveMinutes));

    private static async Task RunDueAsync(CoreHarness core)
    {
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        while (await runner.RunDueAsync(CancellationToken.None) > 0) { }
    }

    private static int CardsPosted(CoreHarness core) => core.Channel.Of(nameof(IChatChannel.PostAsync)).Count(c => c.Message!.FallbackText.StartsWith("Incident INC-", StringComparison.Ordinal));

    [Fact]
    public async Task AlertsWithinTheWindow_AreRelatedAlertsOfTheFirst_OneCardCountsThem_AndTheDigestCountsOneIncident()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var (_, first) = await ApplyAsync(core, Alert("a-0"));
        for (var i = 1; i <= 20; i++)
        {
            core.Clock.Advance(TimeSpan.FromSeconds(10));
            var (outcome, related) = await ApplyAsync(core, Alert("a-" + i));
            Assert.Equal((IntakeOutcome.Created, first.Id), (outcome, related.GroupedIntoId));
        }
        await RunDueAsync(core);

        // One card per team channel, and it shows the storm.
        var channels = CardsPosted(core);
        Assert.True(channels >= 1);
        await ApplyAsync(core, Alert("a-21"));
        await RunDueAsync(core);
        Assert.Equal(channels, CardsPosted(core));
        var card = await core.WithDbAsync(async db => await IncidentPosting.CardAsync(db, await db.Incidents.SingleAsync(i => i.Id == first.Id), core.Clock.GetUtcNow(), CancellationToken.None));
        var text = string.Join("\n", card.Blocks.Select(b => b switch { FieldsBlock f => string.Join(" ", f.Fields.Select(x => x.Label + ": " + x.Value)), ContextBlock c => c.Text, _ => "" }));
        Assert.Contains("Related alerts: 21 grouped here · 21 still open", text);
        Assert.Contains("Latest: Checkout alert a-21 · Checkout alert a-20 · Checkout alert a-19", text);

        Assert.Equal(22, await core.WithDbAsync(db => db.Incidents.CountAsync()));
        var facts = await core.WithDbAsync(db => IncidentFacts.OpenedAsync(db, "payments", first.OpenedAt.AddDays(-1), first.OpenedAt.AddDays(1), CancellationToken.None));
        Assert.Single(facts);
    }

    [Fact]
    public async Task AnotherService_AfterTheWindow_AfterThePrimaryResolved_OrWithoutGrouping_AnAlertHasItsOwnCard()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var (_, first) = await ApplyAsync(core, Alert("b-0"));
        Assert.Null((await ApplyAsync(core, Alert("b-1", service: "payments-api"))).Incident.GroupedIntoId);
        Assert.Null((await ApplyAsync(core, Alert("b-2"), IncidentOptions.NoGrouping)).Incident.GroupedIntoId);
        Assert.Null((await ApplyAsync(core, Alert("b-3", service: "no-such-service"))).Incident.GroupedIntoId);

        core.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var (_, later) = await ApplyAsync(core, Alert("b-4"));
        Assert.Null(later.GroupedIntoId);
        Assert.Equal(later.Id, (await ApplyAsync(core, Alert("b-5"))).Incident.GroupedIntoId);

        await ApplyAsync(core, Alert("b-4", status: ReportedStatus.Resolved));
        Assert.Null((await ApplyAsync(core, Alert("b-6"))).Incident.GroupedIntoId);
        Assert.NotEqual(first.Id, later.Id);
    }

    [Fact]
    public async Task ARelatedAlertResolving_AnnouncesNoResolution_ButChangesThePrimarysCard_WithoutWritingToThePrimary()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var (_, first) = await ApplyAsync(core, Alert("c-0"));
        await ApplyAsync(core, Alert("c-1", impact: 1));
        Task<Bot.Core.Cards.RenderedCard?> RenderAsync(int? unless) =>
            core.WithDbAsync(db => IncidentPosting.Renderer(db, first.Id, core.Clock)(unless, CancellationToken.None));
        var before = (await RenderAsync(null))!;
        Assert.Null(await RenderAsync(before.Version));
        var primaryVersion = await core.WithDbAsync(db => db.Incidents.Where(i => i.Id == first.Id).Select(i => i.Version).SingleAsync());

        await ApplyAsync(core, Alert("c-1", status: ReportedStatus.Resolved, impact: 1));

        var after = await RenderAsync(before.Version);
        Assert.NotNull(after);
        Assert.Contains(after.Message.Blocks.OfType<FieldsBlock>().SelectMany(f => f.Fields), f => f.Value == "1 grouped here · 0 still open");
        // A storm's alerts never queue on the primary's row: its own version did not move.
        Assert.Equal(primaryVersion, await core.WithDbAsync(db => db.Incidents.Where(i => i.Id == first.Id).Select(i => i.Version).SingleAsync()));
        Assert.Equal(0, await core.WithDbAsync(db => db.FeatureEvents.CountAsync(e => e.Type == nameof(IncidentResolved))));
    }

    [Fact]
    public async Task SplitOut_GivesEachRelatedAlertItsCard_AResolvedOneItsResolution_AndTheNextAlertStartsANewGroup()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var (_, first) = await ApplyAsync(core, Alert("d-0"));
        await ApplyAsync(core, Alert("d-1"));
        await ApplyAsync(core, Alert("d-2"));
        await ApplyAsync(core, Alert("d-2", status: ReportedStatus.Resolved));
        await RunDueAsync(core);
        var cards = CardsPosted(core);

        var split = await core.WithDbAsync(async db => await IncidentGrouping.SplitAsync(db, await db.Incidents.SingleAsync(i => i.Id == first.Id), "Bea", core.Clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal(2, split);
        await RunDueAsync(core);
        Assert.Equal(cards * 3, CardsPosted(core));
        Assert.Equal(1, await core.WithDbAsync(db => db.FeatureEvents.CountAsync(e => e.Type == nameof(IncidentResolved))));
        Assert.Null(await core.WithDbAsync(db => IncidentGrouping.RelatedAsync(db, first.Id, CancellationToken.None)));
        var timeline = await core.WithDbAsync(db => db.IncidentEvents.Where(e => e.IncidentId == first.Id).Select(e => e.Text).ToListAsync());
        Assert.Contains("Split out 2 related alert(s)", timeline);

        // Splitting again finds nothing; the next alert is the primary of a new group.
        Assert.Equal(0, await core.WithDbAsync(async db => await IncidentGrouping.SplitAsync(db, await db.Incidents.SingleAsync(i => i.Id == first.Id), "Bea", core.Clock.GetUtcNow(), CancellationToken.None)));
        var (_, next) = await ApplyAsync(core, Alert("d-3"));
        Assert.Null(next.GroupedIntoId);
        Assert.Equal(next.Id, (await ApplyAsync(core, Alert("d-4"))).Incident.GroupedIntoId);
    }

    [Fact]
    public async Task AlertsArrivingAllAtOnce_AgreeOnOnePrimary()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => ApplyAsync(core, Alert("e-" + i)))));

        Assert.All(outcomes, o => Assert.Equal(IntakeOutcome.Created, o.Outcome));
        var stored = await core.WithDbAsync(db => db.Incidents.AsNoTracking().ToListAsync());
        Assert.Equal(16, stored.Count);
        var primary = Assert.Single(stored, i => i.GroupedIntoId is null);
        Assert.All(stored.Where(i => i.Id != primary.Id), i => Assert.Equal(primary.Id, i.GroupedIntoId));
    }
}

public sealed class IncidentGroupingOnSqlite() : IncidentGroupingTests(TestProvider.Sqlite);

public sealed class IncidentGroupingOnPostgres() : IncidentGroupingTests(TestProvider.Postgres);
