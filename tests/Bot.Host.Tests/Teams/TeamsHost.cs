using Bot.Core.Directory;
using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Teams;

/// <summary>The real host with Teams on, a loopback Bot Connector and OpenID metadata, and a driver speaking the wire protocol.</summary>
public sealed class TeamsHost : IAsyncDisposable
{
    private TeamsHost(FakeBotFrameworkIdentity identity, FakeTeamsConnector connector, TestDatabase database, BotAppFactory host)
    {
        Identity = identity;
        Connector = connector;
        Database = database;
        Host = host;
        Http = host.CreateClient();
        Driver = new TeamsDriver(host, Http, connector, identity);
    }

    public FakeBotFrameworkIdentity Identity { get; }
    public FakeTeamsConnector Connector { get; }
    public TestDatabase Database { get; }
    public BotAppFactory Host { get; }
    public HttpClient Http { get; }
    public TeamsDriver Driver { get; }

    public static async Task<TeamsHost> StartAsync(TestProvider provider = TestProvider.Sqlite, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var identity = await FakeBotFrameworkIdentity.StartAsync();
        var connector = await FakeTeamsConnector.StartAsync();
        var database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?>(TeamsDriver.Settings(connector, identity));
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return new TeamsHost(identity, connector, database, new BotAppFactory(database, settings));
    }

    /// <summary>A message from <paramref name="person"/> in their 1:1 chat with the bot.</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> PersonalMessageAsync(string person, string text, string? id = null)
    {
        var who = await Host.WithDbAsync(async db => (await db.People.FindAsync(person))!);
        Connector.Members.TryAdd("29:" + person, (who.IdentityOn("teams")!, who.Name, who.Email));
        var activity = Driver.Activity("message", person, (who.IdentityOn("teams")!, who.Name), Connector.DirectConversation(who.IdentityOn("teams")!), "personal", id);
        activity["text"] = text;
        return activity;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
        await Connector.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
