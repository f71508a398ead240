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

            await s.Driver.CommandAsync("kim", "/digest");
            var summary = await s.Driver.PrivateReplyAsync("kim", m => m.Text.Contains("Payments, this week so far"), "Kim's summary");
            Assert.Contains("• Escalations raised: 1", summary.Text);
            Assert.DoesNotContain("Worth a look", summary.Text);
        }),
    ];
}
