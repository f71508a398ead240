using Bot.Core.Directory;
using Microsoft.EntityFrameworkCore;
using Bot.Testing;

namespace Bot.Host.Tests.Operations;

/// <summary>Configuration that cannot work stops start-up with one line naming the key.</summary>
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("Storage:Provider", "Oracle", "Storage:Provider")]
    [InlineData("Directory:Teams:0:OnCall:Members:0", "nobody", "Directory:Teams:0:OnCall:Members:0")]
    [InlineData("Directory:Teams:1:TimeZone", "Mars/Olympus", "Directory:Teams:1:TimeZone")]
    [InlineData("Escalation:DefaultAckTimeouts:Now", "-00:05:00", "Escalation:DefaultAckTimeouts:Now")]
    [InlineData("Directory:Teams:0:OnCall:HandoffDay", "Someday", "Directory:Teams:0:OnCall:HandoffDay")]
    [InlineData("Directory:Teams:0:Escalation:AckTimeouts:Now", "-00:05:00", "Directory:Teams:0:Escalation:AckTimeouts:Now")]
    [InlineData("Directory:Teams:1:AckTimeouts:Today", "02:00:00", "Directory:Teams:1:AckTimeouts and Directory:Teams:1:Escalation:AckTimeouts are both set")]
    [InlineData("Directory:Teams:0:Incidents:ResponsePlan", "x", "Directory:Teams:0:Incidents:ResponsePlan is not a known setting")]
    [InlineData("Directory:People:1:Identities:slack", "U0SAM00001", "Directory:People:1:Identities:slack 'U0SAM00001' is already sam's")]
    // Tokens and signed links never travel in clear text to another machine; shared secrets cannot be guessed.
    [InlineData("Slack:ApiBaseUrl", "http://slack.example.com/api/", "Slack:ApiBaseUrl must be https")]
    [InlineData("Bot:PublicBaseUrl", "http://bot.example.com/", "Bot:PublicBaseUrl must be https")]
    [InlineData("Webhooks:Secret", "short-secret", "Webhooks:Secret must be at least 32 characters")]
    // Socket Mode: a bot token is not an app-level token, and an app-level token alone cannot post.
    [InlineData("Slack:AppToken", "xoxb-not-an-app-token", "Slack:AppToken must be an app-level token")]
    [InlineData("Slack:AppToken", "xapp-1-A0BOT-1-abc", "Slack:BotToken needs a way in")]
    public async Task InvalidSetting_StopsStartup_WithOneLineNamingTheKey(string key, string value, string named)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(database.Settings) { [key] = value };
        await using var host = HostProcess.Start(settings);

        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = Assert.Single(lines, l => l.StartsWith("Configuration error:", StringComparison.Ordinal));
        Assert.Contains(named, error);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATeamsRegistrationWithoutTenants_StopsStartup_UnlessAnyTenantIsAskedFor()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Teams:AppId"] = "00000000-0000-0000-0000-000000000001", ["Teams:AppPassword"] = "a-client-secret",
        };
        await using var host = HostProcess.Start(settings);
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Teams:AllowAnyTenant", host.Output);

        settings["Teams:AllowAnyTenant"] = "true";
        await using var multiTenant = HostProcess.Start(settings);
        await multiTenant.WaitUntilReadyAsync();
    }

    [Fact]
    public async Task PostgresWithoutConnectionString_StopsStartup_NamingTheKey()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:Bot"] = "" });
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ConnectionStrings:Bot", host.Output);
    }

    [Fact]
    public async Task OutboundClients_HaveNoTimeoutOfTheirOwn_TheirRetryBudgetDecides()
    {
        // HttpClient's own 100 s timeout would cut a wait Slack asked for (429 Retry-After) into an error nobody handles.
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, environment: "Production");
        var clients = host.Get<IHttpClientFactory>();
        foreach (var name in new[] { nameof(Bot.Channels.Slack.SlackApiClient), nameof(Bot.Channels.Teams.ConnectorClient) })
            Assert.Equal(Timeout.InfiniteTimeSpan, clients.CreateClient(name).Timeout);
        Assert.True(Bot.Core.Outbound.OutboundRetries.Budget(TimeSpan.FromSeconds(10)) > TimeSpan.FromSeconds(10) * 5);
    }

    [Fact]
    public async Task OutboundHttp_IsLoggedFromWarningsUp_NotALinePerRequest()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, environment: "Production");
        var logger = host.Get<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("System.Net.Http.HttpClient.slack.LogicalHandler");
        Assert.False(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information));
        Assert.True(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [Fact]
    public async Task InDevelopment_ADirectoryOfYourOwn_ReplacesTheExample_RatherThanMergingByPosition()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, new Dictionary<string, string?>
        {
            ["Directory:People:0:Key"] = "olu", ["Directory:People:0:Name"] = "Olu Ade",
            ["Directory:People:1:Key"] = "pia", ["Directory:People:1:Name"] = "Pia Berg",
            ["Directory:Teams:0:Key"] = "ops", ["Directory:Teams:0:Name"] = "Ops", ["Directory:Teams:0:TimeZone"] = "UTC",
            ["Directory:Teams:0:Members:0"] = "olu", ["Directory:Teams:0:Members:1"] = "pia", ["Directory:Teams:0:Managers:0"] = "pia",
            ["Directory:Teams:0:OnCall:Members:0"] = "olu",
        });
        var people = await host.WithDbAsync(db => db.People.Select(p => p.Key).OrderBy(k => k).ToListAsync());
        var teams = await host.WithDbAsync(db => db.Teams.Select(t => t.Key).ToListAsync());
        Assert.Equal(["olu", "pia"], people);
        Assert.Equal(["ops"], teams);
        // Nothing of the example's second team (or its escalation path) is left under index 1 either.
        Assert.Empty(host.Get<Microsoft.Extensions.Configuration.IConfiguration>().GetSection("Directory:Teams:1").GetChildren());
    }
}
