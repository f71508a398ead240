using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Testing.Conformance;

/// <summary>What a person does and what every channel must then show and store. Named for test output.</summary>
public sealed record Scenario(string Name, Func<ScenarioContext, Task> Run)
{
    public override string ToString() => Name;
}

public sealed class ScenarioContext(IChannelDriver driver, BotAppFactory host)
{
    /// <summary>
    /// A scenario host's settings: the channel's, and a sweep once a day of the host's clock. Scenarios perform what
    /// became due themselves when time passes (<see cref="PassTimeAsync"/>); a sweep every 30 s of a clock moved on by
    /// days would run thousands of sweeps while the clock moves.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> HostSettings(IReadOnlyDictionary<string, string?>? channel = null) =>
        new Dictionary<string, string?>(channel ?? new Dictionary<string, string?>()) { ["Scheduling:SweepInterval"] = "1.00:00:00" };

    public IChannelDriver Driver { get; } = driver;
    public BotAppFactory Host { get; } = host;

    /// <summary>
    /// Lets the work in flight finish, then moves the clock on and performs every reminder that became due, as the
    /// scheduler does. (Jumping the clock past the claim lease while a reminder runs would hand it to a second worker.)
    /// </summary>
    public async Task PassTimeAsync(TimeSpan span)
    {
        try
        {
            await Eventually.TrueAsync(() => DbAsync(async db =>
            {
                var now = Host.Clock.GetUtcNow();
                return !await db.Reminders.AnyAsync(r => r.Status == ReminderStatus.Claimed || (r.Status == ReminderStatus.Pending && r.DueAt <= now));
            }), "the reminders in flight to finish");
        }
        catch (TimeoutException e)
        {
            var now = Host.Clock.GetUtcNow();
            var stuck = await DbAsync(db => db.Reminders.AsNoTracking()
                .Where(r => r.Status == ReminderStatus.Claimed || (r.Status == ReminderStatus.Pending && r.DueAt <= now)).ToListAsync());
            throw new TimeoutException(e.Message + " Still in flight: " +
                string.Join("; ", stuck.Select(r => $"{r.Kind} #{r.Id} {r.Status} attempts {r.Attempts}: {r.LastError}")), e);
        }
        Host.Clock.Advance(span);
        await Host.Get<ReminderRunner>().RunDueAsync(CancellationToken.None);
    }

    public Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> query) => Host.WithDbAsync(query);
}

/// <summary>Marks a feature's scenario list (a static <c>All</c>): every channel runs it, with no list to edit.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class FeatureScenariosAttribute : Attribute;

/// <summary>Every feature's scenarios, found by <see cref="FeatureScenariosAttribute"/>, in a stable order.</summary>
public static class ConformanceScenarios
{
    public static IReadOnlyList<Scenario> All { get; } = typeof(ConformanceScenarios).Assembly.GetTypes()
        .Where(t => t.GetCustomAttributes(typeof(FeatureScenariosAttribute), false).Length > 0)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .SelectMany(t => (IReadOnlyList<Scenario>)t.GetProperty("All")!.GetValue(null)!)
        .ToArray();

    public static IEnumerable<object[]> Names => All.Select(s => new object[] { s.Name });

    public static Scenario Named(string name) => All.Single(s => s.Name == name);
}
