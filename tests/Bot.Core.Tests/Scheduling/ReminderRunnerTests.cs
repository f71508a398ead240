using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Scheduling;

public sealed class ReminderRunnerTests
{
    private static readonly ReminderKind CountKind = new("test.count");

    private sealed class CountingHandler : IReminderHandler
    {
        public int Performed;
        public bool Fail;

        public string Kind => CountKind;

        public Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken cancellationToken)
        {
            if (Fail) throw new InvalidOperationException("the platform said no");
            Interlocked.Increment(ref Performed);
            return Task.CompletedTask;
        }
    }

    private static async Task<(CoreHarness Core, CountingHandler Handler)> CreateAsync()
    {
        var handler = new CountingHandler();
        var core = await CoreHarness.CreateAsync(configure: s => s.AddSingleton<IReminderHandler>(handler));
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
        await using var core = await CoreHarness.CreateAsync();
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
}

public sealed class InboundDeliveryTests
{
    [Fact]
    public async Task Delivery_IsClaimedOnce_AndForgottenAfterAWeek()
    {
        await using var core = await CoreHarness.CreateAsync();
        var now = core.Clock.GetUtcNow();
        Assert.True(await core.WithDbAsync(db => db.TryClaimDeliveryAsync("slack-event", "Ev1", now, CancellationToken.None)));
        Assert.False(await core.WithDbAsync(db => db.TryClaimDeliveryAsync("slack-event", "Ev1", now, CancellationToken.None)));
        Assert.True(await core.WithDbAsync(db => db.TryClaimDeliveryAsync("sns", "Ev1", now, CancellationToken.None)));

        Assert.Equal(0, await core.WithDbAsync(db => db.ForgetOldDeliveriesAsync(now + TimeSpan.FromDays(6), CancellationToken.None)));
        Assert.Equal(2, await core.WithDbAsync(db => db.ForgetOldDeliveriesAsync(now + TimeSpan.FromDays(8), CancellationToken.None)));
    }
}
