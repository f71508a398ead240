using Bot.Core.Inbound;
using Bot.Host.Operations;
using Bot.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Architecture;

/// <summary>Every inbound endpoint is read, verified and parsed the one way, and none is mapped where that would be skipped.</summary>
public sealed class InboundVerificationTests
{
    [Fact]
    public async Task EveryVerifiedEndpoint_RunsBehindTheHostsInboundFilter()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = new string('s', 32), ["Slack:BotToken"] = "xoxb-test",
            ["Teams:AppId"] = "00000000-0000-0000-0000-000000000001", ["Teams:AppPassword"] = "p", ["Teams:TenantId"] = "00000000-0000-0000-0000-000000000002",
            ["IncidentManager:Region"] = "eu-west-1", ["IncidentManager:EventBridgeSecret"] = new string('e', 32),
            ["IncidentManager:SnsTopicArns:0"] = "arn:aws:sns:eu-west-1:111122223333:incidents",
        };
        await using var host = new BotAppFactory(database, settings, services: s => s.AddSingleton<Bot.IncidentManager.IAwsCredentialsSource, StaticAwsCredentials>());
        var endpoints = host.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();
        var verified = endpoints.Where(e => e.Metadata.GetMetadata<VerifiedBy>() is not null).ToArray();

        Assert.Equal(
            ["/api/messages", "/slack/commands", "/slack/events", "/slack/interactions", "/webhooks/deployments", "/webhooks/incident-manager/eventbridge",
                "/webhooks/incident-manager/sns", "/webhooks/incidents"],
            verified.Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Order(StringComparer.Ordinal));
        Assert.All(verified, e => Assert.NotNull(e.Metadata.GetMetadata<InboundFilterApplied>()));
    }
}
