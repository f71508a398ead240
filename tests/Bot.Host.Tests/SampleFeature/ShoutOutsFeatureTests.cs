using Bot.Core;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Host.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Host.Tests.SampleFeature;

/// <summary>A feature added with one folder and one line works end to end: its command, setting, card, subscription and schedule.</summary>
public abstract class ShoutOutsFeatureTests(TestProvider provider)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Directory:Teams:0:ShoutOuts:Emoji"] = "🙌",
        ["Directory:Teams:1:ShoutOuts:Weekly"] = "false",
    };

    [Fact]
    public async Task OneFolderAndOneLine_GiveACommand_ACardWithTheTeamsSetting_AnEventSubscription_AndALocalTimeSchedule()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database, Settings, services: s => s.AddShoutOutsFeature());
        var s = new ScenarioContext(new PlaygroundDriver(host.Playground()), host);

        await s.Driver.CommandAsync("sam", "/shoutout Bea fixed the <!channel> flaky deploy");
        var card = await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("Bea fixed"), "the shout-out");
        Assert.Contains("🙌", card.Text);
        Assert.Contains("<!channel>", card.Text);

        var posted = await EscalationScenarios.RaiseAsync(s);
        await s.Driver.ClickAsync("bea", posted, EscalationMessages.Resolve);
        var form = await s.Driver.FormAsync("bea", EscalationForms.ResolveId);
        Assert.True((await s.Driver.SubmitAsync("bea", form, new Dictionary<string, string?> { ["outcome"] = "Restarted the pods" })).Accepted);
        await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("thanks to Bea Okafor for closing escalation"), "the thanks, from the subscription");

        // Monday 09:00 in each team's own zone, for the teams that want it; whatever the season, 09:00 local.
        using (var connection = host.Get<JobStorage>().GetConnection())
        {
            var jobs = connection.GetRecurringJobs();
            var weekly = Assert.Single(jobs, j => j.Id == RecurringJobRegistrar.TeamJobId("shoutouts.weekly", "payments"));
            Assert.Equal(("0 9 * * 1", "Europe/Berlin"), (weekly.Cron, weekly.TimeZoneId));
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(weekly.NextExecution!.Value, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
            Assert.Equal((DayOfWeek.Monday, 9, 0), (local.DayOfWeek, local.Hour, local.Minute));
            Assert.DoesNotContain(jobs, j => j.Id == RecurringJobRegistrar.TeamJobId("shoutouts.weekly", "platform"));
        }

        var runner = ActivatorUtilities.CreateInstance<RecurringJobRunner>(host.Services);
        await runner.RunForTeamAsync("shoutouts.weekly", "payments", CancellationToken.None);
        await runner.RunForTeamAsync("shoutouts.weekly", "payments", CancellationToken.None);
        await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("who helped you last week"), "the weekly prompt");
        Assert.Single(await s.Driver.TeamMessagesAsync("payments"), m => m.Text.Contains("who helped you last week"));
    }

    /// <summary>Once per ISO week of the team's local date, with the ISO week's own year.</summary>
    [Theory]
    [InlineData("2029-01-01T08:00:00Z", "Europe/Berlin", "2029-W01")]
    [InlineData("2029-12-31T08:00:00Z", "Europe/Berlin", "2030-W01")] // the Monday of 2030's first week, still 2029 by the calendar
    [InlineData("2026-12-28T08:00:00Z", "Europe/Berlin", "2026-W53")]
    [InlineData("2026-11-29T20:00:00Z", "Pacific/Auckland", "2026-W49")] // Monday 09:00 in Auckland, Sunday in UTC
    public void TheWeeklyPrompt_IsKeyedByTheTeamsIsoWeek(string at, string zone, string week) =>
        Assert.Equal(week, WeeklyShoutOutPrompt.WeekOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), zone));

    [Fact]
    public async Task ATeamThatNoLongerWantsTheSchedule_LosesItsJob_OnTheNextStart()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var host = new BotAppFactory(database, Settings, services: s => s.AddShoutOutsFeature()))
        {
            using var connection = host.Get<JobStorage>().GetConnection();
            Assert.Contains(connection.GetRecurringJobs(), j => j.Id == "shoutouts.weekly:payments");
        }
        var fewer = new Dictionary<string, string?>(Settings) { ["Directory:Teams:0:ShoutOuts:Weekly"] = "false" };
        await using (var host = new BotAppFactory(database, fewer, services: s => s.AddShoutOutsFeature()))
        {
            using var connection = host.Get<JobStorage>().GetConnection();
            Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id.StartsWith("shoutouts.weekly:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ItsSettings_AreCheckedOnStart_LikeEveryOtherKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.example.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Directory:Teams:0:ShoutOuts:Emoji"] = "", ["Directory:Teams:0:ShoutOuts:Colour"] = "red" })
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddBotCore().AddShoutOutsFeature()
            .BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DirectoryOptions>>().Value);
        Assert.Contains("Directory:Teams:0:ShoutOuts:Emoji must be one emoji", error.Failures);
        Assert.Contains("Directory:Teams:0:ShoutOuts:Colour is not a known setting", error.Failures);
    }
}

public sealed class ShoutOutsFeatureOnSqlite() : ShoutOutsFeatureTests(TestProvider.Sqlite);

public sealed class ShoutOutsFeatureOnPostgres() : ShoutOutsFeatureTests(TestProvider.Postgres);
