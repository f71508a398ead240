using Bot.Core.Conversation;
using System.Net;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Bot.Testing.Conformance;

/// <summary>
/// Post-incident reviews in any channel: a resolved incident of Payments gets a review owned by Bea (she was on it);
/// the draft reaches her the next working morning, she writes and is coached, hands it to Kim, Kim commits to an
/// action item for Sam and completes it, and the learnings are published to the team channel.
/// </summary>
[FeatureScenarios]
public static class ReviewScenarios
{
    private static async Task<(SeenMessage Card, long Incident)> ResolvedIncidentAsync(ScenarioContext s)
    {
        var card = await IncidentScenarios.OpenAsync(s);
        await s.Driver.ClickAsync("bea", card, IncidentMessages.OnIt);
        await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Bea Okafor is on it"), "the card showing Bea on it");
        var resolved = await IncidentScenarios.ReportAsync(s, s.Host.CreateClient(), "resolved", "2026-11-23T10:40:00Z");
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var id = await s.DbAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());
        return (card, id);
    }

    private static async Task<FormOutcome> WriteAsync(ScenarioContext s, string person, SeenMessage draft, ActionId actionId, FormId formId,
        Dictionary<string, string?> values)
    {
        await s.Driver.ClickAsync(person, draft, actionId);
        var form = await s.Driver.FormAsync(person, formId);
        var outcome = await s.Driver.SubmitAsync(person, form, values);
        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return outcome;
    }

    private static Task<FormOutcome> SectionAsync(ScenarioContext s, string person, SeenMessage draft, string section, Dictionary<string, string?> values) =>
        WriteAsync(s, person, draft, ReviewMessages.EditOf(section), ReviewForms.SectionId, values);

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("Review_DraftNextMorning_Coached_HandedOver_ActionItem_Completed_Published", async s =>
        {
            var (card, _) = await ResolvedIncidentAsync(s);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("is being written"), "the card naming the review");
            Assert.DoesNotContain(await s.Driver.DirectMessagesAsync("bea"), m => m.Text.Contains("Post-incident review PIR-"));

            // Resolved on Monday morning: the draft comes on Tuesday at 09:00 in Berlin.
            await s.PassTimeAsync(TimeSpan.FromDays(1));
            var draft = await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("Post-incident review PIR-"), "the draft sent to Bea");
            Assert.Contains("Draft · 0 of 5 required sections written", draft.Text);
            Assert.Contains("Opened (impact 1) on Checkout", draft.Text);

            await SectionAsync(s, "bea", draft, "summary", new() { ["text"] = "Sam failed to roll back the config <!channel> in time." });
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("💡") && m.Text.Contains("failed to"), "the coach's note");
            await SectionAsync(s, "bea", draft, "impact", new() { ["text"] = "Card payments in the EU failed for 42 minutes." });
            await SectionAsync(s, "bea", draft, "detection", new() { ["text"] = "The error-rate alert fired after 5 minutes." });
            await SectionAsync(s, "bea", draft, "factors", new() { ["text"] = "Config changes skip the canary stage.", ["tag"] = "tooling", ["tags"] = "config" });
            draft = await s.Driver.DirectMessageAsync("bea", m => m.Id == draft.Id && m.Text.Contains("4 of 5 required"), "Bea's draft showing her sections");
            Assert.Contains("[tooling, config] Config changes skip the canary stage.", draft.Text);
            Assert.Contains("💡 Bea Okafor, about “failed to”", draft.Text);

            await WriteAsync(s, "bea", draft, ReviewMessages.HandOver, ReviewForms.HandOverId, new() { ["owner"] = "kim" });
            var kims = await s.Driver.DirectMessageAsync("kim", m => m.Text.Contains("Post-incident review PIR-"), "the draft handed to Kim");
            Assert.Contains("Kim Laine owns this blameless review", kims.Text);

            await SectionAsync(s, "kim", kims, "learnings", new() { ["text"] = "Treat config like code." });
            await WriteAsync(s, "kim", kims, ReviewMessages.EditOf("actions"), ReviewForms.ActionItemId, new()
            {
                ["title"] = "Canary stage for config deploys", ["owner"] = "sam", ["due"] = "2026-12-10", ["kind"] = nameof(ActionKind.Detect),
            });
            var item = await s.Driver.DirectMessageAsync("sam", m => m.Text.Contains("Action item: Canary stage for config deploys"), "the action item for Sam");
            Assert.Contains("[Done]", item.Text);

            await s.Driver.ClickAsync("kim", kims, ReviewMessages.Complete);
            await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("is complete"), "the thanks for completing");
            var summary = await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("📚 Learnings"), "the published learnings");
            Assert.Contains("Treat config like code.", summary.Text);
            Assert.Contains("Canary stage for config deploys — Sam Rivera", summary.Text);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("is complete: its learnings are shared"), "the card linking the review");
            await s.Driver.DirectMessageAsync("bea", m => m.Id == draft.Id && m.Text.Contains("Completed by Kim Laine"), "Bea's draft showing it complete");

            await s.Driver.ClickAsync("sam", item, ReviewMessages.ItemDone);
            await s.Driver.DirectMessageAsync("sam", m => m.Id == item.Id && m.Text.Contains("Status: Done"), "the item marked done");
            await s.PassTimeAsync(TimeSpan.FromDays(8));
            Assert.Equal(1, (await s.Driver.TeamMessagesAsync("payments")).Count(m => m.Text.Contains("📚 Learnings")));
            Assert.Equal(ReviewStatus.Completed, (await s.DbAsync(db => db.Reviews.SingleAsync())).Status);
        }),
        new("Review_Command_StartsListsShowsAndExports", async s =>
        {
            var (_, incident) = await ResolvedIncidentAsync(s);
            // The resolution starts the review in the background; asking again then finds it.
            await Eventually.TrueAsync(() => s.DbAsync(db => db.Reviews.AnyAsync()), "the review started by the resolution");
            await s.Driver.CommandAsync("sam", $"/review start INC-{incident}");
            var answer = await s.Driver.PrivateReplyAsync("sam", m => m.Text.Contains("PIR-"), "the answer to /review start");
            Assert.Contains($"INC-{incident} already has review PIR-", answer.Text);

            await s.Driver.CommandAsync("kim", "/review");
            var list = await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("Post-incident reviews"), "the list");
            Assert.Contains("Checkout error rate above 5%", list.Text);
            var id = await s.DbAsync(db => db.Reviews.Select(r => r.Id).SingleAsync());

            await s.Driver.CommandAsync("kim", $"/review show PIR-{id}");
            var shown = await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("Customer impact"), "the draft");
            Assert.Contains("[➕ Summary]", shown.Text);

            await s.Driver.CommandAsync("kim", $"/review export PIR-{id}");
            var export = await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("as Markdown"), "the export");
            var download = Assert.Single(export.Buttons, b => b.Url is not null);
            Assert.StartsWith($"https://bot.example.com/links/reviews/{id}.md?exp=", download.Url);
            var markdown = await s.Host.CreateClient().GetStringAsync(new Uri(download.Url!).PathAndQuery);
            Assert.StartsWith($"# Post-incident review PIR-{id}: INC-{incident}: Checkout error rate above 5%", markdown);
        }),
    ];
}
