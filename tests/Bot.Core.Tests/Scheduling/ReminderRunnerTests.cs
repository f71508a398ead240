using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Scheduling;

public abstract class ReminderRunnerTests(TestProvider provider)
{
    private static readonly ReminderKind CountKind = new("test.count");

    private sealed class CountingHandler : IReminderHandler
    {
        public int Performed;
        public bool Fail;
        public Func<Reminder, BotDbContext, Task>? During;

        public string Kind => CountKind;

        public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken cancellationToken)
        {
            if (Fail) throw new InvalidOperationException("the platform said no");
            Interlocked.Increment(ref Performed);
            if (During is not null) await During(reminder, db);
        }
    }

    private async Task<(CoreHarness Core, CountingHandler Handler)> CreateAsync()
    {
        var handler = new CountingHandler();
        var core = await CoreHarness.CreateAsync(provider, configure: s => s.AddSingleton<IReminderHandler>(handler));
        return (core, handler);
    }

    private static Task<long> ScheduleAsync(CoreHarness core, TimeSpan inFuture, Action<Reminder>? tweak = null) =>
        core.WithDbAsync(async db =>
        {
            var now = core.Clock.GetUtcNow();
            var r = db.Schedule(CountKind, 1, now + inFuture, now);
            tweak?.Invoke(r);
            await db.SaveChangesAsync();
            return r.Id;
        });

    [Fact]
    public async Task NotYetDue_IsLeftAlone_ThenPerformedOnceWhenDue()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        var id = await ScheduleAsync(core, TimeSpan.FromMinutes(5));

        Assert.Equal(RunOutcome.NotDue, await runner.RunAsync(id, CancellationToken.None));
        core.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(RunOutcome.Performed, await runner.RunAsync(id, CancellationToken.None));
        Assert.Equal(RunOutcome.AlreadyHandled, await runner.RunAsync(id, CancellationToken.None));
        Assert.Equal(1, handler.Performed);
        Assert.Equal(RunOutcome.Missing, await runner.RunAsync(id + 1000, CancellationToken.None));
    }

    [Fact]
    public async Task Failure_ReleasesTheClaim_WithTheError_SoARetryPerformsIt()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        var id = await ScheduleAsync(core, TimeSpan.Zero);

        handler.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(id, CancellationToken.None));
        var failed = await core.WithDbAsync(db => db.Reminders.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal(ReminderStatus.Pending, failed.Status);
        Assert.Equal("the platform said no", failed.LastError);

        handler.Fail = false;
        Assert.Equal(1, await runner.RunDueAsync(CancellationToken.None));
        var done = await core.WithDbAsync(db => db.Reminders.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal((ReminderStatus.Done, 2, 1), (done.Status, done.Attempts, handler.Performed));
    }

    [Fact]
    public async Task ClaimOfACrashedWorker_IsTakenOverOnlyAfterTheLease()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        var claimedAt = core.Clock.GetUtcNow();
        var id = await ScheduleAsync(core, TimeSpan.Zero, r => { r.Status = ReminderStatus.Claimed; r.ClaimedAt = claimedAt; r.Attempts = 1; });

        Assert.Equal(RunOutcome.AlreadyHandled, await runner.RunAsync(id, CancellationToken.None));
        core.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await runner.RunDueAsync(CancellationToken.None));
        Assert.Equal(1, handler.Performed);
    }

    [Fact]
    public async Task ARunThatOutlivedItsLease_AndWasTakenOver_SavesNothing_AndTheNewRunCompletesIt()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        var id = await ScheduleAsync(core, TimeSpan.Zero);

        // The first run is slow: while it works, its lease passes and another worker claims the reminder.
        handler.During = async (reminder, db) =>
        {
            handler.During = null;
            db.Schedule(CountKind, 99, core.Clock.GetUtcNow(), core.Clock.GetUtcNow());
            core.Clock.Advance(TimeSpan.FromMinutes(6));
            Assert.Equal(RunOutcome.Performed, await runner.RunAsync(id, CancellationToken.None));
        };
        Assert.Equal(RunOutcome.AlreadyHandled, await runner.RunAsync(id, CancellationToken.None));

        var done = await core.WithDbAsync(db => db.Reminders.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal((ReminderStatus.Done, 2), (done.Status, done.Attempts));
        // What the slow run changed beside completing the reminder was not saved.
        Assert.Equal(0, await core.WithDbAsync(db => db.Reminders.CountAsync(r => r.SubjectId == 99)));
    }

    [Fact]
    public async Task Cancelled_IsNeverPerformed()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var id = await ScheduleAsync(core, TimeSpan.FromMinutes(1));
        await core.WithDbAsync(async db =>
        {
            await db.CancelPendingAsync("test.count", 1, core.Clock.GetUtcNow(), CancellationToken.None);
            return await db.SaveChangesAsync();
        });
        core.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(RunOutcome.AlreadyHandled, await core.Services.GetRequiredService<ReminderRunner>().RunAsync(id, CancellationToken.None));
        Assert.Equal(0, handler.Performed);
    }

    [Fact]
    public async Task ManyWorkers_OneReminder_PerformedExactlyOnce()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        var ids = new List<long>();
        for (var i = 0; i < 10; i++) ids.Add(await ScheduleAsync(core, TimeSpan.Zero));

        var outcomes = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 4).Select(_ => runner.RunAsync(id, CancellationToken.None))));
        Assert.Equal(10, outcomes.Count(o => o == RunOutcome.Performed));
        Assert.Equal(10, handler.Performed);
    }

    [Fact]
    public async Task Dispatch_HappensOnlyAfterCommit_AndNotAfterRollback()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        await core.WithDbAsync(async db =>
        {
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                db.Schedule(CountKind, 1, core.Clock.GetUtcNow(), core.Clock.GetUtcNow());
                await db.SaveChangesAsync();
                Assert.Empty(core.Dispatcher.Dispatched);
                await tx.RollbackAsync();
            }
            Assert.Empty(core.Dispatcher.Dispatched);
            db.ChangeTracker.Clear();

            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                db.Schedule(CountKind, 2, core.Clock.GetUtcNow(), core.Clock.GetUtcNow());
                await db.SaveChangesAsync();
                Assert.Empty(core.Dispatcher.Dispatched);
                await tx.CommitAsync();
            }
            return 0;
        });
        var dispatched = Assert.Single(core.Dispatcher.Dispatched);
        Assert.Equal(1, await core.WithDbAsync(db => db.Reminders.CountAsync(r => r.Id == dispatched.Id && r.SubjectId == 2)));
    }

    [Fact]
    public async Task AFailingReminder_IsRetriedAtOnce_ThenWithADoublingWait_AndGivesUpAfterItsAttempts()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        handler.Fail = true;
        var id = await ScheduleAsync(core, TimeSpan.Zero);
        var start = core.Clock.GetUtcNow();

        // Attempt 1 fails and is due again at once; attempt 2 waits 30 s, attempt 3 a minute, then 2, 4 … minutes.
        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(id, CancellationToken.None));
        Assert.Equal(start, await core.WithDbAsync(db => db.Reminders.Where(r => r.Id == id).Select(r => r.DueAt).SingleAsync()));
        var waits = new List<TimeSpan>();
        for (var attempt = 2; attempt <= 9; attempt++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(id, CancellationToken.None));
            var due = await core.WithDbAsync(db => db.Reminders.Where(r => r.Id == id).Select(r => r.DueAt).SingleAsync());
            waits.Add(due - core.Clock.GetUtcNow());
            Assert.Equal(RunOutcome.NotDue, await runner.RunAsync(id, CancellationToken.None));
            core.Clock.SetUtcNow(due);
        }
        Assert.Equal(new[] { 0.5, 1, 2, 4, 8, 16, 32, 60 }.Select(TimeSpan.FromMinutes), waits);

        // The tenth attempt is the last: the reminder is marked failed with why, and nothing retries it.
        Assert.Equal(RunOutcome.GaveUp, await runner.RunAsync(id, CancellationToken.None));
        var failed = await core.WithDbAsync(db => db.Reminders.SingleAsync(r => r.Id == id));
        Assert.Equal((ReminderStatus.Failed, 10), (failed.Status, failed.Attempts));
        Assert.StartsWith("Gave up after 10 attempts: the platform said no", failed.LastError);
        core.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await runner.RunDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RemindersThatKeepFailing_MoveBehind_SoTheyCannotStarveOthers()
    {
        var (core, handler) = await CreateAsync();
        await using var _ = core;
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        handler.Fail = true;
        // More stuck reminders than one sweep takes (500), all older than the fresh one.
        await core.WithDbAsync(async db =>
        {
            var now = core.Clock.GetUtcNow();
            for (var i = 0; i < 520; i++) db.Schedule(CountKind, 100 + i, now.AddMinutes(-10), now.AddMinutes(-10)).Attempts = 3;
            await db.SaveChangesAsync();
            return 0;
        });
        await runner.RunDueAsync(CancellationToken.None);
        await runner.RunDueAsync(CancellationToken.None);
        handler.Fail = false;
        var fresh = await ScheduleAsync(core, TimeSpan.Zero);
        await runner.RunDueAsync(CancellationToken.None);
        Assert.Equal(ReminderStatus.Done, await core.WithDbAsync(db => db.Reminders.Where(r => r.Id == fresh).Select(r => r.Status).SingleAsync()));
    }
}

public abstract class InboundDeliveryTests(TestProvider provider)
{
    [Fact]
    public async Task Delivery_IsClaimedOnce_AndForgottenAfterAWeek()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var now = core.Clock.GetUtcNow();
        Assert.True(await core.WithDbAsync(db => db.TryClaimDeliveryAsync("slack-event", "Ev1", now, CancellationToken.None)));
        Assert.False(await core.WithDbAsync(db => db.TryClaimDeliveryAsync("slack-event", "Ev1", now, CancellationToken.None)));
        Assert.True(await core.WithDbAsync(db => db.TryClaimDeliveryAsync("sns", "Ev1", now, CancellationToken.None)));

        Assert.Equal(0, await core.WithDbAsync(db => db.ForgetOldDeliveriesAsync(now + TimeSpan.FromDays(6), CancellationToken.None)));
        Assert.Equal(2, await core.WithDbAsync(db => db.ForgetOldDeliveriesAsync(now + TimeSpan.FromDays(8), CancellationToken.None)));
    }

}

public sealed class ReminderRunnerOnSqlite() : ReminderRunnerTests(TestProvider.Sqlite);

public sealed class ReminderRunnerOnPostgres() : ReminderRunnerTests(TestProvider.Postgres);

public sealed class InboundDeliveryOnSqlite() : InboundDeliveryTests(TestProvider.Sqlite);

public sealed class InboundDeliveryOnPostgres() : InboundDeliveryTests(TestProvider.Postgres);
