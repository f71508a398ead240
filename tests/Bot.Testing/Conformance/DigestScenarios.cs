using Bot.Core.Features.Digests;
using Bot.Core.Scheduling;
using Xunit;

namespace Bot.Testing.Conformance;

/// <summary>/digest in any channel: Lee manages Payments and sees its full digest; Kim sees the team's summary only.</summary>
[FeatureScenarios]
public static class DigestScenarios
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("Digest_ManagerSeesTheFullDigest_MemberTheSummary", async s =>
        {
            await EscalationScenarios.RaiseAsync(s);
            await s.Driver.CommandAsync("lee", "/digest");
            var full = await s.Driver.PrivateReplyAsync("lee", m => m.Text.Contains("Culture health: Payments"), "Lee's digest");
            Assert.Contains("• Escalations raised: 1", full.Text);
            Assert.Contains("Worth a look", full.Text);
            // The 8-week chart at its signed address under the public base URL, where the platforms fetch it (the
            // playground, served by the bot itself, loads the same path from its own host).
            Assert.Contains(full.Message.Blocks, b => b is Bot.Core.Conversation.ImageBlock i &&
                (i.Url.StartsWith("https://bot.example.com/charts/", StringComparison.Ordinal) || i.Url.StartsWith("/charts/", StringComparison.Ordinal)));

            await s.Driver.CommandAsync("kim", "/digest");
            var summary = await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("Payments, this week so far"), "Kim's summary");
            Assert.Contains("• Escalations raised: 1", summary.Text);
            Assert.DoesNotContain("Worth a look", summary.Text);
        }),
        new("Digest_TheOutgoingOnCallChecksIn_ManagersReadItOnlyWithConsent", async s =>
        {
            // Teams reaches someone directly once it has seen them: Bea looked at her team's summary during her week.
            await s.Driver.CommandAsync("bea", "/digest");
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("Payments, this week so far"), "Bea's summary");
            // Monday 30 November, 09:05 in Berlin: Bea's week on call handed over to Kim.
            s.Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 5, 0, TimeSpan.Zero));
            await s.Host.Get<IEnumerable<IRecurringJob>>().Single(j => j.Id == "digests.check-ins").RunAsync(CancellationToken.None);
            var prompt = await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("Your on-call shift for Payments ended"), "Bea's check-in");
            await s.Driver.ClickAsync("bea", prompt, CheckInForms.Open);
            var form = await s.Driver.FormAsync("bea", CheckInForms.Id);
            var outcome = await s.Driver.SubmitAsync("bea", form, new Dictionary<string, string?>
            {
                ["load"] = "4", ["sleep"] = "yes", ["hurt"] = "The billing alert paged all night", ["share"] = "false",
            });
            Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {e.Value}")));
            await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("That sounds like a hard shift"), "Bea's answered check-in");

            await s.Driver.CommandAsync("lee", "/digest");
            var digest = await s.Driver.PrivateReplyAsync("lee", m => m.Text.Contains("Check-ins answered: 1"), "Lee's digest with the check-in");
            Assert.Contains("1 more person wrote what hurt most and kept it private.", digest.Text);
            Assert.DoesNotContain("billing alert", digest.Text);
        }),
    ];
}
