using Bot.Core.Features.Incidents;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Tests.Features.Incidents;

/// <summary>Reports from any source become one stream of stored incidents, on each provider.</summary>
public abstract class IncidentIntakeTests(TestProvider provider)
{
    private static IncidentReport Report(ReportedStatus status = ReportedStatus.Open, string service = "Checkout", string? deployment = null) =>
        new("webhook", "PD-42", "Checkout 500s", service, 2, status, "https://pagerduty.example.com/incidents/42",
            new DateTimeOffset(2026, 11, 23, 9, 50, 0, TimeSpan.Zero), status == ReportedStatus.Resolved ? new DateTimeOffset(2026, 11, 23, 11, 20, 0, TimeSpan.Zero) : null, deployment);

    [Fact]
    public async Task OpenThenResolve_IsOneIncident_WithItsTeamFromTheService_AndRepeatsChangeNothing()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var now = core.Clock.GetUtcNow();

        var (opened, incident) = await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(), now, CancellationToken.None));
        Assert.Equal(IntakeOutcome.Created, opened);
        Assert.Equal(("checkout", "payments", IncidentStatus.Open), (incident.ServiceKey, incident.TeamKey, incident.Status));
        Assert.Equal(IntakeOutcome.Unchanged, (await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(), now, CancellationToken.None))).Outcome);

        var (resolved, closed) = await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Resolved), now, CancellationToken.None));
        Assert.Equal(IntakeOutcome.Resolved, resolved);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 11, 20, 0, TimeSpan.Zero), closed.ResolvedAt);
        Assert.Equal(IntakeOutcome.Unchanged, (await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Resolved), now, CancellationToken.None))).Outcome);

        var stored = await core.WithDbAsync(db => db.Incidents.Include(i => i.Timeline).SingleAsync());
        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Resolved], stored.Timeline.OrderBy(t => t.Id).Select(t => t.Kind));
        Assert.Contains("1 h 30 min", stored.Timeline.Single(t => t.Kind == IncidentEventKind.Resolved).Text);
        Assert.Equal("https://pagerduty.example.com/incidents/42", Assert.Single(stored.Links).Url);
    }

    [Fact]
    public async Task ALateOpen_DoesNotReopen_ANewerOneDoes_AndChangesAreUpdates()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var now = core.Clock.GetUtcNow();
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Resolved), now, CancellationToken.None));

        // The open report that was delivered late (or replayed) says nothing newer than the resolution.
        var (late, stillResolved) = await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Open), now, CancellationToken.None));
        Assert.Equal((IntakeOutcome.Unchanged, IncidentStatus.Resolved), (late, stillResolved.Status));

        var newer = Report(ReportedStatus.Open, deployment: "deploy-7") with { AsOf = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero) };
        var (reopened, incident) = await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, newer, now, CancellationToken.None));
        Assert.Equal(IntakeOutcome.Reopened, reopened);
        Assert.Equal((IncidentStatus.Open, (DateTimeOffset?)null, "deploy-7"), (incident.Status, incident.ResolvedAt, incident.DeploymentId));

        var worse = newer with { Impact = 1, AsOf = newer.AsOf!.Value.AddMinutes(5) };
        Assert.Equal(IntakeOutcome.Updated, (await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, worse, now, CancellationToken.None))).Outcome);
        Assert.Equal(IntakeOutcome.Unchanged, (await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, worse, now, CancellationToken.None))).Outcome);
        var kinds = await core.WithDbAsync(db => db.IncidentEvents.OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Resolved, IncidentEventKind.Reopened, IncidentEventKind.LinkedDeployment, IncidentEventKind.Updated], kinds);
    }

    [Fact]
    public async Task OpenAndResolveArrivingTogether_EndResolved_WhicheverWins()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var now = core.Clock.GetUtcNow();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => core.WithDbAsync(db =>
            IncidentIntake.ApplyAsync(db, Report(i % 2 == 0 ? ReportedStatus.Open : ReportedStatus.Resolved), now, CancellationToken.None)))));
        var stored = await core.WithDbAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(IncidentStatus.Resolved, stored.Status);
    }

    [Fact]
    public async Task AnUnknownService_StillStoresTheIncident_WithoutATeam()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var (_, incident) = await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(service: "billing-batch"), core.Clock.GetUtcNow(), CancellationToken.None));
        Assert.Null(incident.TeamKey);
        Assert.Equal(1, await core.WithDbAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task TheSameReportTwiceAtOnce_StoresOneIncident()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var now = core.Clock.GetUtcNow();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(), now, CancellationToken.None)))));
        Assert.Single(outcomes, o => o.Outcome == IntakeOutcome.Created);
        Assert.Equal(1, await core.WithDbAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task ADeployment_IsStoredOnce()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var report = new DeploymentReport("deploy-7", "checkout", "1.42.0", new DateTimeOffset(2026, 11, 23, 9, 55, 0, TimeSpan.Zero), "success");
        Assert.True(await core.WithDbAsync(db => IncidentIntake.RecordDeploymentAsync(db, report, core.Clock.GetUtcNow(), CancellationToken.None)));
        Assert.False(await core.WithDbAsync(db => IncidentIntake.RecordDeploymentAsync(db, report, core.Clock.GetUtcNow(), CancellationToken.None)));
        Assert.Equal("checkout", (await core.WithDbAsync(db => db.Deployments.SingleAsync())).ServiceKey);
    }
}

public sealed class IncidentIntakeOnSqlite() : IncidentIntakeTests(TestProvider.Sqlite);

public sealed class IncidentIntakeOnPostgres() : IncidentIntakeTests(TestProvider.Postgres);
