using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Conformance;

/// <summary>Every flow's scenarios through Slack's wire protocol (signed requests in, Web API calls out), on each provider.</summary>
public abstract class SlackConformanceTests(TestProvider provider)
{
    [Theory]
    [MemberData(nameof(ConformanceScenarios.Names), MemberType = typeof(ConformanceScenarios))]
    public async Task Scenario(string name)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database, SlackDriver.Settings(slack));
        var driver = new SlackDriver(host, host.CreateClient(), slack);
        await ConformanceScenarios.Named(name).Run(new ScenarioContext(driver, host));
    }
}

public sealed class SlackConformanceOnSqlite() : SlackConformanceTests(TestProvider.Sqlite);

public sealed class SlackConformanceOnPostgres() : SlackConformanceTests(TestProvider.Postgres);
