using Bot.Core.Scheduling;
using Bot.Core.Storage;

namespace Bot.Testing.Conformance;

/// <summary>What a person does and what every channel must then show and store. Named for test output.</summary>
public sealed record Scenario(string Name, Func<ScenarioContext, Task> Run)
{
    public override string ToString() => Name;
}

public sealed class ScenarioContext(IChannelDriver driver, BotAppFactory host)
{
    public IChannelDriver Driver { get; } = driver;
    public BotAppFactory Host { get; } = host;

    /// <summary>Moves the clock on and performs every reminder that became due, as the scheduler's sweep does.</summary>
    public async Task PassTimeAsync(TimeSpan span)
    {
        Host.Clock.Advance(span);
        await Host.Get<ReminderRunner>().RunDueAsync(CancellationToken.None);
    }

    public Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> query) => Host.WithDbAsync(query);
}

/// <summary>Every flow's scenarios; a new flow adds its list here.</summary>
public static class ConformanceScenarios
{
    public static IReadOnlyList<Scenario> All { get; } = [.. HelpScenarios.All, .. EscalationScenarios.All];

    public static IEnumerable<object[]> Names => All.Select(s => new object[] { s.Name });

    public static Scenario Named(string name) => All.Single(s => s.Name == name);
}
