using System.Net;
using Bot.Channels.Slack;
using Bot.Core.Features.Experiments;
using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Reviews;

/// <summary>Slack's App Home lists the experiments someone proposed, beside their reviews.</summary>
public sealed class ExperimentHomeTests : IAsyncLifetime
{
    private FakeSlackApi _slack = null!;
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackApi.StartAsync();
        _database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        _host = new BotAppFactory(_database, SlackDriver.Settings(_slack));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task AppHome_ListsMyExperiments()
    {
        var now = _host.Clock.GetUtcNow();
        await _host.WithDbAsync(db =>
        {
            db.Experiments.Add(new Experiment
            {
                TeamKey = "payments", Title = "Canary stage for config deploys", Hypothesis = "We believe …", Metric = "m", Threshold = "t",
                Radius = BlastRadius.TeamOnly, StartsOn = new DateOnly(2026, 11, 24), EndsOn = new DateOnly(2026, 12, 4), ProposerKey = "bea",
                ProposerName = "Bea Okafor", ProposedAt = now, Status = ExperimentStatus.Running,
            });
            return db.SaveChangesAsync();
        });
        const string body = """{"token":"t","team_id":"T0TEAM","api_app_id":"A0BOT","type":"event_callback","event_id":"Ev0HOMEX","event_time":1700000000,"event":{"type":"app_home_opened","user":"U0BEA00002","channel":"D0BEA","tab":"home","event_ts":"1700000000.1"}}""";
        var signer = new SlackSigner(SlackSigner.Secret, () => _host.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await _host.CreateClient().SendAsync(signer.Json("/slack/events", body))).StatusCode);
        var published = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("views.publish").ToArray()), c => c.Length > 0, "views.publish");
        var view = published[0].Body["view"]!.ToJsonString();
        Assert.Contains("Experiments", view);
        Assert.Contains("Canary stage for config deploys", view);
        Assert.Contains("Running", view);
    }
}
