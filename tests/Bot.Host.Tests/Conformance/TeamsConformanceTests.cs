using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Conformance;

/// <summary>Every flow's scenarios through the Bot Framework wire protocol (signed activities in, connector calls out), on each provider.</summary>
public abstract class TeamsConformanceTests(TestProvider provider)
{
    [Theory]
    [MemberData(nameof(ConformanceScenarios.Names), MemberType = typeof(ConformanceScenarios))]
    public async Task Scenario(string name)
    {
        await using var identity = await FakeBotFrameworkIdentity.StartAsync();
        await using var connector = await FakeTeamsConnector.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database, ScenarioContext.HostSettings(TeamsDriver.Settings(connector, identity)));
        var driver = new TeamsDriver(host, host.CreateClient(), connector, identity);
        await ConformanceScenarios.Named(name).Run(new ScenarioContext(driver, host));
        // Every card the scenario made the bot send is valid Adaptive Card 1.5 (checked where the published schema is present).
        Assert.Empty(connector.SchemaViolations);
    }
}

public sealed class TeamsConformanceOnSqlite() : TeamsConformanceTests(TestProvider.Sqlite);

public sealed class TeamsConformanceOnPostgres() : TeamsConformanceTests(TestProvider.Postgres);
