using Bot.Core.Features.Experiments;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Bot.Testing.Conformance;

/// <summary>
/// /propose-experiment in any channel: Sam (Payments) proposes a limited-production experiment with Ana as sponsor;
/// Kim supports it and raises a concern; Bea may not approve it, Ana does; a team-only one is approved at once and
/// its result is published.
/// </summary>
[FeatureScenarios]
public static class ExperimentScenarios
{
    public static Dictionary<string, string?> Proposal(string radius, string? sponsor = null) => new()
    {
        ["title"] = "Canary stage for config deploys",
        ["hypothesis"] = "We believe a canary stage for config will halve failed config deploys",
        ["metric"] = "failed config deploys per week",
        ["threshold"] = "at most 1 a week for four weeks",
        ["kind"] = nameof(ExperimentKind.Tooling),
        ["radius"] = radius,
        ["starts"] = "2026-11-24",
        ["ends"] = "2026-12-04",
        ["rollback"] = "Stop if checkout errors rise above 1%; turn the flag off",
        ["sponsor"] = sponsor,
        ["link"] = "https://docs.example.com/canary",
    };

    private static async Task<SeenMessage> ProposeAsync(ScenarioContext s, Dictionary<string, string?> values)
    {
        await s.Driver.InstallAsync();
        await s.Driver.CommandAsync("sam", "/propose-experiment Canary stage for config deploys");
        var form = await s.Driver.FormAsync("sam", ExperimentForms.ProposeId);
        Assert.Equal("Canary stage for config deploys", form.Field("title").Initial);
        var outcome = await s.Driver.SubmitAsync("sam", form, values);
        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("🧪 Experiment EXP-"), "the proposal in #payments");
    }

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("Experiment_Production_SupportedQuestionedAndApprovedBySponsorOnly", async s =>
        {
            var card = await ProposeAsync(s, Proposal(nameof(BlastRadius.LimitedProduction), sponsor: "ana"));
            Assert.Contains("Blast radius: Limited production", card.Text);
            Assert.Contains("Status: Proposed · waiting for approval", card.Text);
            await s.Driver.DirectMessageAsync("sam", m => m.Text.Contains("Thank you for proposing EXP-"), "the thanks to Sam");

            await s.Driver.ClickAsync("kim", card, ExperimentMessages.Support);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("👍 1 support"), "the card counting Kim's support");
            await s.Driver.ClickAsync("kim", card, ExperimentMessages.Concern);
            var concern = await s.Driver.FormAsync("kim", ExperimentForms.ConcernId);
            Assert.True((await s.Driver.SubmitAsync("kim", concern, new Dictionary<string, string?> { ["concern"] = "What if the canary hides a slow rollout?" })).Accepted);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Concern from Kim Laine"), "the attributed concern");

            await s.Driver.ClickAsync("bea", card, ExperimentMessages.Approve);
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("its sponsor or a Payments manager decides"), "the polite refusal");

            // The sponsor asks for changes; Sam revises from the card, and the sponsor picked before stays picked.
            await s.Driver.ClickAsync("ana", card, ExperimentMessages.AskForChanges);
            var changes = await s.Driver.FormAsync("ana", ExperimentForms.ChangesId);
            Assert.True((await s.Driver.SubmitAsync("ana", changes, new Dictionary<string, string?> { ["note"] = "Start with 5% of traffic" })).Accepted);
            await s.Driver.DirectMessageAsync("sam", m => m.Text.Contains("Ana Souza asked for changes") && m.Text.Contains("Start with 5% of traffic"), "the note to Sam");
            var changed = await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Buttons.Any(b => b.ActionId == ExperimentMessages.Revise), "the card to revise");
            await s.Driver.ClickAsync("sam", changed, ExperimentMessages.Revise);
            var revise = await s.Driver.FormAsync("sam", ExperimentForms.ProposeId);
            // As a person does: only the rollback plan is changed, every other field is sent as the form showed it.
            var shown = revise.Form.Fields.ToDictionary(f => f.Id, f => f.Initial);
            shown["rollback"] = "Stop at 5% of traffic if errors rise";
            var revised = await s.Driver.SubmitAsync("sam", revise, shown);
            Assert.True(revised.Accepted, string.Join("; ", revised.Errors.Select(x => $"{x.Key}: {x.Value}")));
            card = await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Status: Proposed"), "the revised card");
            Assert.Equal("ana", (await s.DbAsync(db => db.Experiments.SingleAsync())).SponsorKey);

            await s.Driver.ClickAsync("ana", card, ExperimentMessages.Approve);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Status: Approved"), "the approved card");
            await s.Driver.DirectMessageAsync("sam", m => m.Text.Contains("was approved by Ana Souza"), "the decision told to Sam");
            var stored = await s.DbAsync(db => db.Experiments.Include(e => e.Transitions).SingleAsync());
            Assert.Equal(("Ana Souza", ExperimentStatus.Approved), (stored.DecidedBy, stored.Status));
        }),
        new("Experiment_TeamOnly_ApprovedAtOnce_RunsAndPublishesItsResult", async s =>
        {
            var card = await ProposeAsync(s, Proposal(nameof(BlastRadius.TeamOnly)));
            Assert.Contains("Status: Approved", card.Text);
            Assert.DoesNotContain(card.Buttons, b => b.ActionId == ExperimentMessages.Approve);

            await s.PassTimeAsync(TimeSpan.FromDays(1));
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Status: Running"), "the running card");
            await s.Driver.DirectMessageAsync("sam", m => m.Text.Contains("starts today"), "the start-date reminder");
            var running = await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Status: Running"), "the running card");
            await s.Driver.ClickAsync("sam", running, ExperimentMessages.RecordResult);
            var form = await s.Driver.FormAsync("sam", ExperimentForms.ConcludeId);
            Assert.True((await s.Driver.SubmitAsync("sam", form, new Dictionary<string, string?>
            {
                ["outcome"] = nameof(ExperimentOutcome.Adopt), ["result"] = "0 failed config deploys in 2 weeks",
                ["learning"] = "Canaries catch config mistakes as well as code ones",
            })).Accepted);
            var result = await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("📊 Result: Canary stage for config deploys"), "the published result");
            Assert.Contains("Canaries catch config mistakes", result.Text);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Results published"), "the card showing the result");
        }),
    ];
}
