using System.Text.Json;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Events;

/// <summary>
/// A feature's reaction to another feature's event. Delivered at least once (a retried delivery, a restart), so the
/// effect must be idempotent; changes made to <c>db</c> are saved with the delivery marked done.
/// </summary>
public interface IEventSubscriber<in TEvent> where TEvent : class, IFeatureEvent
{
    /// <summary>Stable and unique, e.g. "reviews.ask-on-resolve": it names the subscriber's delivery reminders.</summary>
    string Name { get; }

    Task HandleAsync(TEvent e, EventDelivery delivery, BotDbContext db, CancellationToken cancellationToken);
}

/// <summary>Which stored event is being delivered: its id makes a good dedupe key for an effect that must happen once per event.</summary>
public sealed record EventDelivery(long EventId, DateTimeOffset OccurredAt);

/// <summary>One registered subscription: deliveries of events of <see cref="EventType"/> become reminders of <see cref="Kind"/>.</summary>
public sealed record EventSubscription(string EventType, string Kind);

/// <summary>Every subscription the features registered, by event type name.</summary>
public sealed class EventSubscriptions(IEnumerable<EventSubscription> subscriptions)
{
    private readonly ILookup<string, EventSubscription> _byType = subscriptions.ToLookup(s => s.EventType, StringComparer.Ordinal);

    public IEnumerable<EventSubscription> For(string eventType) => _byType[eventType];
}

public static class FeatureEvents
{
    /// <summary>Announces an event; it is stored and handed to every subscriber with the next save of <paramref name="db"/>.</summary>
    public static FeatureEvent Publish<TEvent>(this BotDbContext db, TEvent e, DateTimeOffset now) where TEvent : class, IFeatureEvent
    {
        var row = new FeatureEvent
        {
            Type = typeof(TEvent).Name,
            SubjectId = e.SubjectId,
            Payload = JsonSerializer.Serialize(e, BotDbContext.JsonOptions),
            OccurredAt = now,
        };
        db.FeatureEvents.Add(row);
        return row;
    }

    /// <summary>Registers <typeparamref name="TSubscriber"/> for <typeparamref name="TEvent"/>: one line in the subscribing feature.</summary>
    public static IServiceCollection AddEventSubscriber<TEvent, TSubscriber>(this IServiceCollection services, string name)
        where TEvent : class, IFeatureEvent
        where TSubscriber : class, IEventSubscriber<TEvent>
    {
        var kind = "event:" + name;
        services.AddSingleton<TSubscriber>();
        services.AddSingleton(new EventSubscription(typeof(TEvent).Name, kind));
        services.AddSingleton<IReminderHandler>(sp => new EventDeliveryHandler<TEvent>(kind, sp.GetRequiredService<TSubscriber>()));
        return services;
    }

    /// <summary>
    /// The delivery reminders for the events among <paramref name="added"/> (the entities a save is about to insert),
    /// one per subscriber; added to <paramref name="db"/> and returned. An event that has its deliveries already (a
    /// save tried again) gets none.
    /// </summary>
    internal static List<Reminder> FanOut(DbContext db, IReadOnlyCollection<object> added, EventSubscriptions subscriptions)
    {
        var deliveries = new List<Reminder>();
        var delivered = added.OfType<Reminder>().Select(r => r.Event).OfType<FeatureEvent>().ToHashSet();
        foreach (var e in added.OfType<FeatureEvent>().Where(e => !delivered.Contains(e)))
        {
            foreach (var subscription in subscriptions.For(e.Type))
            {
                var delivery = new Reminder
                {
                    Kind = subscription.Kind, SubjectId = e.SubjectId, Event = e, DueAt = e.OccurredAt, CreatedAt = e.OccurredAt, Status = ReminderStatus.Pending,
                };
                db.Add(delivery);
                deliveries.Add(delivery);
            }
        }
        return deliveries;
    }

    private sealed class EventDeliveryHandler<TEvent>(string kind, IEventSubscriber<TEvent> subscriber) : IReminderHandler where TEvent : class, IFeatureEvent
    {
        public string Kind => kind;

        public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
        {
            var row = await db.FeatureEvents.AsNoTracking().SingleAsync(e => e.Id == reminder.EventId, ct);
            var e = JsonSerializer.Deserialize<TEvent>(row.Payload, BotDbContext.JsonOptions)
                ?? throw new InvalidOperationException($"Event {row.Id} ({row.Type}) has no payload.");
            await subscriber.HandleAsync(e, new EventDelivery(row.Id, row.OccurredAt), db, ct);
        }
    }
}
