using System.Net;
using Bot.Host.Operations;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Host.Tests.Operations;

/// <summary>
/// The steps of a graceful stop, on the host's clock: not ready at once while still serving for the drain delay, then
/// new requests refused with 503 and Retry-After (health probes still answered), then the parts drained. The whole stop of
/// the real process under SIGTERM is a process test.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stopping_ReportsNotReady_ServesForTheDrainDelay_ThenRefuses()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(SlackDriver.Settings(slack)) { ["Shutdown:DrainDelay"] = "00:00:05", ["Shutdown:Timeout"] = "00:00:30" };
        await using var host = new BotAppFactory(database, settings);
        var http = host.CreateClient();
        var signer = new SlackSigner(SlackSigner.Secret, () => host.Clock.GetUtcNow());
        HttpRequestMessage Help() => signer.Form("/slack/commands", [new("command", "/help"), new("user_id", "U0ANA00005"), new("channel_id", "C1")]);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        var shutdown = host.Services.GetServices<IHostedService>().OfType<GracefulShutdown>().Single();
        var stopping = shutdown.StoppingAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Help())).StatusCode);
        Assert.False(stopping.IsCompleted);

        host.Clock.Advance(TimeSpan.FromSeconds(5));
        await stopping;
        var refused = await http.SendAsync(Help());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("5", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
    }
}
