using System.Net;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Bot.Testing.Conformance;

/// <summary>
/// Incidents in any channel: an alerting tool reports through the signed generic webhook, the owning team (Payments
/// owns Checkout) gets the card in its channel, someone takes it, the tool resolves it, the card follows and the
/// post-incident review is asked for exactly once.
/// </summary>
[FeatureScenarios]
public static class IncidentScenarios
{
    public const string Title = "Checkout error rate above 5%";

    public static string Report(string status, string at, int impact = 1, string? deploymentId = null) =>
        $$"""
        {"id":"grafana-4711","title":"{{Title}}","service":"checkout","impact":{{impact}},"status":"{{status}}",
         "url":"https://grafana.example.com/alerting/4711","openedAt":"2026-11-23T09:58:00Z",
         {{(status == "resolved" ? "\"resolvedAt\":\"" + at + "\"," : "")}}"updatedAt":"{{at}}"{{(deploymentId is null ? "" : $",\"deploymentId\":\"{deploymentId}\"")}}}
        """;

    /// <summary>Sends the tool's report once the clock has reached its time, as a real tool would (a report from the future is refused).</summary>
    public static async Task<HttpResponseMessage> ReportAsync(ScenarioContext s, HttpClient http, string status, string at)
    {
        var when = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        if (s.Host.Clock.GetUtcNow() < when) await s.PassTimeAsync(when - s.Host.Clock.GetUtcNow());
        return await SignedWebhooks.IncidentAsync(http, Report(status, at));
    }

    public static async Task<SeenMessage> OpenAsync(ScenarioContext s)
    {
        await s.Driver.InstallAsync();
        var response = await SignedWebhooks.IncidentAsync(s.Host.CreateClient(), Report("open", "2026-11-23T09:58:00Z"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains(Title), "the incident card in #payments");
    }

    /// <summary>Incident cards in the channel, open or resolved (a review's summary names the incident too, but is not a card).</summary>
    public static int Cards(IEnumerable<SeenMessage> messages) => messages.Count(m => m.Text.Contains("Incident INC-") || m.Text.Contains("Resolved INC-"));

    /// <summary>One alert of a storm on Checkout, from another rule of the same tool.</summary>
    public static string StormAlert(string id, string title, string status = "open") =>
        $$"""{"id":"{{id}}","title":{{System.Text.Json.JsonSerializer.Serialize(title)}},"service":"checkout","impact":4,"status":"{{status}}"}""";

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("Incident_AlertStorm_IsOneCard_CountingItsRelatedAlerts_UntilSplitOut", async s =>
        {
            var card = await OpenAsync(s);
            var http = s.Host.CreateClient();
            var titles = new[] { "Checkout p99 above 2 s", "Checkout 502s from the gateway", "Checkout queue depth", "Checkout pods restarting",
                "Checkout " + SampleMessages.Hostile };
            for (var i = 0; i < titles.Length; i++)
            {
                var response = await SignedWebhooks.IncidentAsync(http, StormAlert($"storm-{i}", titles[i]));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Assert.Contains("\"groupedInto\":\"INC-", await response.Content.ReadAsStringAsync());
            }
            await s.PassTimeAsync(TimeSpan.FromSeconds(5));
            var grouped = await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("5 grouped here · 5 still open"), "the card counting the storm");
            // The newest few titles, shown as written.
            Assert.Contains("Checkout " + SampleMessages.Hostile, grouped.Text);
            Assert.Contains("Checkout pods restarting", grouped.Text);
            Assert.DoesNotContain("Checkout p99 above 2 s", grouped.Text);
            Assert.Equal(1, Cards(await s.Driver.TeamMessagesAsync("payments")));

            // A related alert resolving is counted on the card; it asks for no review of its own.
            Assert.Equal(HttpStatusCode.OK, (await SignedWebhooks.IncidentAsync(http, StormAlert("storm-0", titles[0], "resolved"))).StatusCode);
            await s.PassTimeAsync(TimeSpan.FromSeconds(5));
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("5 grouped here · 4 still open"), "the card after one resolved");
            Assert.Equal(0, await s.DbAsync(db => db.FeatureEvents.CountAsync(e => e.Type == nameof(IncidentResolved))));

            // Every alert is still stored and listed, each naming the incident it is grouped into.
            await s.Driver.CommandAsync("bea", "/incident");
            var list = await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("Open incidents for Payments"), "the list");
            Assert.Contains(Title, list.Text);
            Assert.Contains("Checkout pods restarting", list.Text);
            Assert.Contains("related alert of INC-", list.Text);

            await s.Driver.ClickAsync("bea", grouped, IncidentMessages.SplitOut);
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("Split 5 related alert(s) out of INC-"), "the split confirmation");
            await s.PassTimeAsync(TimeSpan.FromSeconds(5));
            var split = await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("🔥 Incident INC-") && !m.Text.Contains("grouped here"),
                "the card after the split");
            Assert.DoesNotContain(split.Buttons, b => b.ActionId == IncidentMessages.SplitOut);
            var hostile = await s.DbAsync(db => db.Incidents.SingleAsync(i => i.ExternalId == "storm-4"));
            await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains($"Incident {IncidentReference.Of(hostile.Id)}: Checkout <!channel>"), "a split-out alert's own card");
            Assert.Equal(6, Cards(await s.Driver.TeamMessagesAsync("payments")));
            Assert.Equal(0, await s.DbAsync(db => db.Incidents.CountAsync(i => i.GroupedIntoId != null)));
        }),
        new("Incident_OpenedCard_OnIt_Resolved_CardUpdated_ReviewAskedOnce", async s =>
        {
            var card = await OpenAsync(s);
            Assert.Contains("🔥 Incident INC-", card.Text);
            Assert.Contains("Impact: 1 · Critical", card.Text);
            Assert.Contains("Service: Checkout", card.Text);
            Assert.Contains("Team: Payments", card.Text);
            Assert.Contains("nobody on it yet", card.Text);
            Assert.Contains(card.Buttons, b => b.ActionId == IncidentMessages.OnIt && b.Label == "I'm on it");
            var console = Assert.Single(card.Buttons, b => b.Url is not null);
            Assert.Equal("Open in console", console.Label);
            Assert.Equal("https://grafana.example.com/alerting/4711", console.Url);

            await s.Driver.ClickAsync("bea", card, IncidentMessages.OnIt);
            var taken = await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Bea Okafor is on it"), "the card showing Bea on it");
            Assert.DoesNotContain(taken.Buttons, b => b.ActionId == IncidentMessages.OnIt);
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("You're on INC-"), "the reply to Bea");

            var http = s.Host.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await ReportAsync(s, http, "resolved", "2026-11-23T10:40:00Z")).StatusCode);
            var resolved = await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("✅ Resolved INC-"), "the resolved card");
            Assert.Contains("Resolved after 42 min", resolved.Text);
            Assert.DoesNotContain(resolved.Buttons, b => b.ActionId == IncidentMessages.OnIt || b.ActionId == IncidentMessages.LinkDeployment || b.ActionId == ReviewButtons.StartForIncident);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Post-incident review PIR-") && m.Text.Contains("is being written"),
                "the card naming the review");

            // The tool retries its delivery, and the incident is reopened and resolved again: the review is still asked once.
            Assert.Equal(HttpStatusCode.OK, (await ReportAsync(s, http, "resolved", "2026-11-23T10:40:00Z")).StatusCode);
            var firstOpenAgain = """{"id":"grafana-4711","title":"Checkout error rate above 5%","service":"checkout","impact":1,"status":"open"}""";
            var retried = await SignedWebhooks.IncidentAsync(http, firstOpenAgain);
            Assert.Contains("unchanged", await retried.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await ReportAsync(s, http, "open", "2026-11-23T10:45:00Z")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await ReportAsync(s, http, "resolved", "2026-11-23T10:50:00Z")).StatusCode);
            await s.PassTimeAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(1, await s.DbAsync(db => db.Reviews.CountAsync()));
            var stored = await s.DbAsync(db => db.Incidents.Include(i => i.Timeline).SingleAsync());
            Assert.Equal(IncidentStatus.Resolved, stored.Status);
            Assert.Equal("Bea Okafor", stored.AcknowledgedBy);
            Assert.NotNull(stored.ReviewRequestedAt);
            Assert.Single(stored.Timeline, e => e.Kind == IncidentEventKind.ReviewRequested);
            Assert.Single(await s.DbAsync(db => db.FeatureEvents.Where(e => e.Type == nameof(ReviewRequested)).ToListAsync()));
            Assert.Equal(1, Cards(await s.Driver.TeamMessagesAsync("payments")));
        }),
        new("Incident_Command_ListsYourTeamsOpenIncidents_AndOneWithItsTimeline", async s =>
        {
            await OpenAsync(s);
            await s.Driver.CommandAsync("bea", "/incident");
            var list = await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("Open incidents for Payments"), "the list");
            Assert.Contains(Title, list.Text);
            var id = await s.DbAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());

            await s.Driver.CommandAsync("bea", $"/incident INC-{id}");
            var one = await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("Timeline"), "the incident with its timeline");
            Assert.Contains(Title, one.Text);
            Assert.Contains("Opened (impact 1) on Checkout", one.Text);

            await s.Driver.CommandAsync("bea", "/incident INC-999999");
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("I can't find incident"), "the not-found reply");
        }),
        new("TypedToTheBot_InItsDirectMessages_OrAfterAMention_ReadsLikeACommand", async s =>
        {
            await OpenAsync(s);
            var id = await s.DbAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());
            // Slack's direct messages and Teams' 1:1 chat: plain words, or the command with its slash.
            await s.Driver.SayToBotAsync("bea", "help");
            var help = await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("What I can do"), "help in the direct messages");
            Assert.Contains("/escalate", help.Text);
            await s.Driver.SayToBotAsync("bea", $"/incident INC-{id}");
            var one = await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("Timeline"), "the incident, asked in the direct messages");
            Assert.Contains(Title, one.Text);

            // A mention in the team's channel runs the words after it; a word the bot does not know gets the help.
            await s.Driver.MentionBotAsync("kim", "payments", "incident");
            var list = await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("Open incidents for Payments"), "the list, asked by a mention");
            Assert.Contains(Title, list.Text);
            await s.Driver.MentionBotAsync("kim", "payments", "frobnicate");
            await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("What I can do"), "the help for an unknown word after a mention");
        }),
        new("Incident_LinkDeployment_FromTheCard", async s =>
        {
            var http = s.Host.CreateClient();
            var deployment = """{"id":"deploy-981","service":"checkout","version":"2026.11.23-1","deployedAt":"2026-11-23T09:40:00Z","outcome":"success"}""";
            Assert.Equal(HttpStatusCode.Created, (await SignedWebhooks.DeploymentAsync(http, deployment)).StatusCode);
            var card = await OpenAsync(s);
            await s.Driver.ClickAsync("kim", card, IncidentMessages.LinkDeployment);
            var form = await s.Driver.FormAsync("kim", IncidentFlow.LinkFormId);
            Assert.Equal(["deploy-981"], form.Field("deployment").Options!.Select(o => o.Value));
            var outcome = await s.Driver.SubmitAsync("kim", form, new Dictionary<string, string?> { ["deployment"] = "deploy-981" });
            Assert.True(outcome.Accepted);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Linked to deployment deploy-981"), "the card with its deployment");
            Assert.Equal("deploy-981", (await s.DbAsync(db => db.Incidents.SingleAsync())).DeploymentId);
        }),
    ];
}
