using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Conformance;

/// <summary>Every flow's scenarios through the playground's HTTP API, on each database provider.</summary>
public abstract class PlaygroundConformanceTests(TestProvider provider)
{
    [Theory]
    [MemberData(nameof(ConformanceScenarios.Names), MemberType = typeof(ConformanceScenarios))]
    public async Task Scenario(string name)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database, ScenarioContext.HostSettings());
        var driver = new PlaygroundDriver(host.Playground());
        await ConformanceScenarios.Named(name).Run(new ScenarioContext(driver, host));
    }
}

public sealed class PlaygroundConformanceOnSqlite() : PlaygroundConformanceTests(TestProvider.Sqlite);

public sealed class PlaygroundConformanceOnPostgres() : PlaygroundConformanceTests(TestProvider.Postgres);
