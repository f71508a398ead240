using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Conformance;

/// <summary>
/// Every flow's scenarios through Slack's wire protocol (signed requests or Socket Mode envelopes in, Web API calls out),
/// on each provider.
/// </summary>
public abstract class SlackConformanceTests(TestProvider provider, bool socketMode)
{
    [Theory]
    [MemberData(nameof(ConformanceScenarios.Names), MemberType = typeof(ConformanceScenarios))]
    public async Task Scenario(string name)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var socket = socketMode ? await FakeSlackSocketMode.StartAsync(slack) : null;
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database,
            ScenarioContext.HostSettings(socketMode ? SlackDriver.SocketModeSettings(slack) : SlackDriver.Settings(slack)));
        var http = host.CreateClient();
        if (socket is not null) await socket.WaitForOpenAsync(2);
        var driver = new SlackDriver(host, http, slack, socket);
        await ConformanceScenarios.Named(name).Run(new ScenarioContext(driver, host));
    }
}

public sealed class SlackConformanceOnSqlite() : SlackConformanceTests(TestProvider.Sqlite, socketMode: false);

public sealed class SlackConformanceOnPostgres() : SlackConformanceTests(TestProvider.Postgres, socketMode: false);

public sealed class SlackSocketModeConformanceOnSqlite() : SlackConformanceTests(TestProvider.Sqlite, socketMode: true);

public sealed class SlackSocketModeConformanceOnPostgres() : SlackConformanceTests(TestProvider.Postgres, socketMode: true);
