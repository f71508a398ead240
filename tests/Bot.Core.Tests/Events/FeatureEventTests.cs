using System.Collections.Concurrent;
using Bot.Core.Events;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Events;

public sealed record SomethingHappened(long ThingId, string Note) : IFeatureEvent
{
    public long SubjectId => ThingId;
}

/// <summary>Records what it was handed; the effect it writes (a reminder under a dedupe key) happens once per event.</summary>
public sealed class NoteTaker : IEventSubscriber<SomethingHappened>
{
    public static readonly ReminderKind Noted = new("test.noted");

    public ConcurrentQueue<SomethingHappened> Seen { get; } = new();

    public string Name => "test.note-taker";

    public async Task HandleAsync(SomethingHappened e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        Seen.Enqueue(e);
        await db.ScheduleOnceAsync(Noted, e.ThingId, DateTimeOffset.UnixEpoch, $"noted:{e.ThingId}", ct);
    }
}

public sealed class Bystander : IEventSubscriber<SomethingHappened>
{
    public int Calls;

    public string Name => "test.bystander";

    public Task HandleAsync(SomethingHappened e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        Interlocked.Increment(ref Calls);
        return Task.CompletedTask;
    }
}

public abstract class FeatureEventTests(TestProvider provider)
{
    private Task<CoreHarness> CreateAsync() => CoreHarness.CreateAsync(provider, services => services
        .AddEventSubscriber<SomethingHappened, NoteTaker>("test.note-taker")
        .AddEventSubscriber<SomethingHappened, Bystander>("test.bystander"));

    [Fact]
    public async Task Publish_IsStoredWithOneDeliveryPerSubscriber_OnlyWhenTheSaveCommits()
    {
        await using var core = await CreateAsync();
        var now = core.Clock.GetUtcNow();
        await core.WithDbAsync(async db =>
        {
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                db.Publish(new SomethingHappened(7, "rolled back"), now);
                await db.SaveChangesAsync();
                await tx.RollbackAsync();
            }
            db.ChangeTracker.Clear();
            Assert.Empty(core.Dispatcher.Dispatched);

            db.Publish(new SomethingHappened(8, "kept"), now);
            await db.SaveChangesAsync();
            return 0;
        });

        var events = await core.WithDbAsync(db => db.FeatureEvents.AsNoTracking().ToListAsync());
        var stored = Assert.Single(events);
        Assert.Equal((nameof(SomethingHappened), 8L), (stored.Type, stored.SubjectId));
        var deliveries = await core.WithDbAsync(db => db.Reminders.AsNoTracking().Where(r => r.EventId == stored.Id).OrderBy(r => r.Kind).ToListAsync());
        Assert.Equal(["event:test.bystander", "event:test.note-taker"], deliveries.Select(d => d.Kind));
        Assert.Equal(deliveries.Select(d => d.Id).Order(), core.Dispatcher.Dispatched.Select(d => d.Id).Order());
    }

    [Fact]
    public async Task Delivery_HandsTheTypedEventToItsSubscriber_AndARerunHasNoSecondEffect()
    {
        await using var core = await CreateAsync();
        await core.WithDbAsync(async db =>
        {
            db.Publish(new SomethingHappened(9, "checkout <!channel>"), core.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        foreach (var (id, _) in core.Dispatcher.Dispatched.ToArray()) Assert.Equal(RunOutcome.Performed, await runner.RunAsync(id, CancellationToken.None));

        var noteTaker = core.Services.GetRequiredService<NoteTaker>();
        Assert.Equal(new SomethingHappened(9, "checkout <!channel>"), Assert.Single(noteTaker.Seen));
        Assert.Equal(1, core.Services.GetRequiredService<Bystander>().Calls);

        // At least once: the same event delivered again (a crashed worker, a second host) changes nothing more.
        var delivery = await core.WithDbAsync(db => db.Reminders.Where(r => r.Kind == "event:test.note-taker").SingleAsync());
        await core.WithDbAsync(db => db.Reminders.Where(r => r.Id == delivery.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Pending)));
        Assert.Equal(RunOutcome.Performed, await runner.RunAsync(delivery.Id, CancellationToken.None));
        Assert.Equal(2, noteTaker.Seen.Count);
        Assert.Equal(1, await core.WithDbAsync(db => db.Reminders.CountAsync(r => r.Kind == NoteTaker.Noted.Name)));
    }
}

public sealed class FeatureEventsOnSqlite() : FeatureEventTests(TestProvider.Sqlite);

public sealed class FeatureEventsOnPostgres() : FeatureEventTests(TestProvider.Postgres);
