using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Operations;

public sealed class TelemetryTests
{
    [Fact]
    public async Task WithAnOtlpEndpoint_TracesAndMetricsOfTheBotAreExported()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        // The exporter is configured the way operators do it: environment variables of the host process.
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        await using var host = HostProcess.Start(settings);
        await host.WaitUntilReadyAsync();
        var driver = new PlaygroundDriver(new PlaygroundClient(host.CreateClient()));
        await driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await driver.FormAsync("ana", Bot.Core.Features.Escalation.EscalationForms.RaiseId);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);

        await Eventually.TrueAsync(() => Task.FromResult(collector.Exports.Any(e => e.Path == "/v1/traces" && e.Mentions("command escalate"))), "the trace of /escalate");
        await Eventually.TrueAsync(() => Task.FromResult(collector.Exports.Any(e => e.Path == "/v1/metrics" && e.Mentions("bot.escalations.raised"))), "the escalation metric");
        Assert.All(collector.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
    }
}
