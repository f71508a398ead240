using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Events;
using Bot.Core.Features.Experiments;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Tests.Features.Experiments;

/// <summary>
/// /propose-experiment as transcripts on Core with a fake clock. It is Monday 23 November 2026, 11:00 in Berlin; Sam,
/// Bea and Kim are in Payments, Lee is its manager; Ana (Platform) sponsors production experiments.
/// </summary>
public abstract class ExperimentLifecycleTests(TestProvider provider)
{
    private static readonly Dictionary<string, string?> Forum = new() { ["Experiments:ForumChannels:playground"] = "#experiments" };

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static (string, string?)[] Proposal(string radius, string? rollback = "Turn the flag off", string starts = "2026-11-24", string ends = "2026-12-04",
        string? sponsor = null) =>
    [
        ("title", "Canary stage for config deploys"), ("hypothesis", "We believe a canary stage for config will halve failed config deploys"),
        ("metric", "failed config deploys per week"), ("threshold", "at most 1 a week for four weeks"), ("kind", "Tooling"), ("radius", radius),
        ("starts", starts), ("ends", ends), ("rollback", rollback), ("sponsor", sponsor), ("link", "https://docs.example.com/canary"),
    ];

    private static async Task<FormResult> ProposeAsync(CoreChat chat, params (string, string?)[] values)
    {
        await chat.CommandAsync("sam", "/propose-experiment Canary stage for config deploys");
        var form = chat.LastForm("sam");
        Assert.Equal("Canary stage for config deploys", form.Fields.Single(f => f.Id == "title").Initial);
        Assert.Equal("We believe <change> will <outcome>", form.Fields.Single(f => f.Id == "hypothesis").Placeholder);
        var result = await chat.SubmitAsync("sam", form, values);
        await chat.RunDueAsync();
        return result;
    }

    private static Task<Experiment> StoredAsync(CoreHarness core) =>
        core.WithDbAsync(db => db.Experiments.Include(e => e.Transitions).Include(e => e.Participants).Include(e => e.Concerns).AsSplitQuery().SingleAsync());

    /// <summary>The card as it shows now: its last update, else the post.</summary>
    private static Message Card(CoreChat chat, string conversation) =>
        chat.Posts(conversation).Concat(chat.Updates()).Where(m => m.FallbackText.StartsWith("Experiment EXP-", StringComparison.Ordinal)).Last();

    [Fact]
    public async Task TeamOnly_ApprovedOnProposal_StartsOnItsDate_RemindsUntilConcluded_PublishesTheResult()
    {
        await using var core = await CoreHarness.CreateAsync(provider, settings: Forum);
        var chat = new CoreChat(core);
        Assert.True((await ProposeAsync(chat, Proposal("TeamOnly", rollback: null))).IsAccepted);

        var e = await StoredAsync(core);
        Assert.Equal(ExperimentStatus.Approved, e.Status);
        Assert.Equal(["Proposed", "Approved"], e.Transitions.OrderBy(t => t.Id).Select(t => t.To.ToString()));
        var card = CoreChat.Text(Assert.Single(chat.Posts("#payments")));
        Assert.Contains($"🧪 Experiment EXP-{e.Id}: Canary stage for config deploys", card);
        Assert.Contains("Blast radius: Team only", card);
        Assert.Contains("[👍 Support] [Raise a concern] [Join] [Follow]", card);
        Assert.Single(chat.Posts("#experiments"));
        Assert.Contains("Small and reversible, so it is approved", CoreChat.Text(Assert.Single(chat.DirectMessages("sam"))));
        Assert.Equal(2, await core.WithDbAsync(db => db.FeatureEvents.CountAsync(x => x.Type == nameof(ExperimentMoved))));

        // Kim follows it and hears each step.
        await chat.ClickAsync("kim", ExperimentMessages.Follow, Id(e.Id));
        Assert.Contains("You follow EXP-", chat.LastReply("kim"));

        // Tuesday 09:00 in Berlin: it runs, and Sam is reminded.
        await chat.AtAsync(new DateTimeOffset(2026, 11, 24, 7, 59, 0, TimeSpan.Zero));
        Assert.Equal(ExperimentStatus.Approved, (await StoredAsync(core)).Status);
        await chat.AtAsync(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(ExperimentStatus.Running, (await StoredAsync(core)).Status);
        Assert.Contains("starts today", CoreChat.Text(chat.DirectMessages("sam")[^1]));
        Assert.Contains("is running from today", CoreChat.Text(Assert.Single(chat.DirectMessages("kim"))));

        // The end date asks for the result, then every 3 working days.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));
        Assert.Contains("ends today", CoreChat.Text(chat.DirectMessages("sam")[^1]));
        await chat.AtAsync(new DateTimeOffset(2026, 12, 9, 7, 59, 0, TimeSpan.Zero));
        Assert.Equal(1, chat.DirectMessages("sam").Count(m => m.FallbackText.StartsWith("Time to record", StringComparison.Ordinal)));
        await chat.AtAsync(new DateTimeOffset(2026, 12, 9, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, chat.DirectMessages("sam").Count(m => m.FallbackText.StartsWith("Time to record", StringComparison.Ordinal)));

        // Sam records the result: it is published to the team and the forum, and the reminders stop.
        await chat.ClickAsync("sam", ExperimentMessages.RecordResult, Id(e.Id));
        Assert.False((await chat.SubmitAsync("sam", chat.LastForm("sam"), ("outcome", "Adopt"), ("result", "0 failed config deploys"), ("learning", null))).IsAccepted);
        Assert.True((await chat.SubmitAsync("sam", chat.LastForm("sam"), ("outcome", "Adopt"), ("result", "0 failed config deploys in 2 weeks"),
            ("learning", "Canaries catch config mistakes as well as code ones"))).IsAccepted);
        await chat.RunDueAsync();
        var stored = await StoredAsync(core);
        Assert.Equal(ExperimentStatus.Published, stored.Status);
        Assert.Equal(["Proposed", "Approved", "Running", "Concluded", "Published"], stored.Transitions.OrderBy(t => t.Id).Select(t => t.To.ToString()));
        Assert.All(stored.Transitions, t => Assert.False(string.IsNullOrEmpty(t.By)));
        var result = CoreChat.Text(Assert.Single(chat.Posts("#payments"), m => m.FallbackText.StartsWith("Experiment result", StringComparison.Ordinal)));
        Assert.Contains("📊 Result: Canary stage for config deploys → Adopt", result);
        Assert.Contains("Canaries catch config mistakes", result);
        Assert.Single(chat.Posts("#experiments"), m => m.FallbackText.StartsWith("Experiment result", StringComparison.Ordinal));
        Assert.Single(await core.WithDbAsync(db => db.FeatureEvents.Where(x => x.Type == nameof(ExperimentConcluded)).ToListAsync()));
        Assert.Contains(chat.DirectMessages("kim"), m => CoreChat.Text(m).Contains("is concluded: Adopt", StringComparison.Ordinal));

        var reminders = chat.DirectMessages("sam").Count;
        await chat.AtAsync(new DateTimeOffset(2026, 12, 31, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(reminders, chat.DirectMessages("sam").Count);
    }

    [Fact]
    public async Task NonProduction_IsApprovedOnProposal_ButNeedsAWayToRollBack()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var refused = await ProposeAsync(chat, Proposal("NonProduction", rollback: null));
        Assert.Equal(["rollback"], refused.Errors.Keys);
        Assert.Empty(await core.WithDbAsync(db => db.Experiments.ToListAsync()));
        Assert.True((await ProposeAsync(chat, Proposal("NonProduction"))).IsAccepted);
        Assert.Equal(ExperimentStatus.Approved, (await StoredAsync(core)).Status);
    }

    [Fact]
    public async Task Production_WaitsForTheSponsorOrAManager_OthersAreRefusedPolitely_ChangesThenApproval()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        Assert.True((await ProposeAsync(chat, Proposal("LimitedProduction", sponsor: "ana"))).IsAccepted);
        var e = await StoredAsync(core);
        Assert.Equal(ExperimentStatus.Proposed, e.Status);
        Assert.Contains("[Approve] [Ask for changes]", CoreChat.Text(Card(chat, "#payments")));
        Assert.Contains("approves it first", CoreChat.Text(Assert.Single(chat.DirectMessages("sam"))));

        await chat.ClickAsync("kim", ExperimentMessages.Approve, Id(e.Id));
        Assert.Contains("its sponsor or a Payments manager decides", chat.LastReply("kim"));
        await chat.ClickAsync("sam", ExperimentMessages.Approve, Id(e.Id));
        Assert.Contains("its sponsor or a Payments manager decides", chat.LastReply("sam"));
        Assert.Equal(ExperimentStatus.Proposed, (await StoredAsync(core)).Status);

        // The sponsor asks for changes; the proposer hears why, revises, and a manager approves.
        await chat.ClickAsync("ana", ExperimentMessages.AskForChanges, Id(e.Id));
        Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), ("note", "Start with 5% of traffic"))).IsAccepted);
        await chat.RunDueAsync();
        Assert.Contains("Ana Souza asked for changes", CoreChat.Text(chat.DirectMessages("sam")[^1]));
        Assert.Contains("Start with 5% of traffic", CoreChat.Text(chat.DirectMessages("sam")[^1]));
        await chat.ClickAsync("kim", ExperimentMessages.Revise, Id(e.Id));
        Assert.Contains("Only Sam Rivera", chat.LastReply("kim"));
        await chat.ClickAsync("sam", ExperimentMessages.Revise, Id(e.Id));
        var revise = chat.LastForm("sam");
        Assert.Equal("Canary stage for config deploys", revise.Fields.Single(f => f.Id == "title").Initial);
        var resubmitted = await chat.SubmitAsync("sam", revise, ("rollback", "Stop at 5% of traffic if errors rise; turn the flag off"));
        Assert.True(resubmitted.IsAccepted, string.Join("; ", resubmitted.Errors.Select(x => $"{x.Key}: {x.Value}")));
        Assert.Equal(ExperimentStatus.Proposed, (await StoredAsync(core)).Status);
        await chat.ClickAsync("lee", ExperimentMessages.Approve, Id(e.Id));
        await chat.RunDueAsync();
        var stored = await StoredAsync(core);
        Assert.Equal((ExperimentStatus.Approved, "Lee Chen"), (stored.Status, stored.DecidedBy));
        Assert.Equal(["Proposed", "ChangesRequested", "Proposed", "Approved"], stored.Transitions.OrderBy(t => t.Id).Select(t => t.To.ToString()));
        Assert.Contains("was approved by Lee Chen", CoreChat.Text(chat.DirectMessages("sam")[^1]));
        Assert.Equal(1, await core.WithDbAsync(db => db.Experiments.CountAsync()));
    }

    [Fact]
    public async Task FullProduction_ApprovedAfterItsStartDate_RunsAtOnce()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        Assert.True((await ProposeAsync(chat, Proposal("FullProduction"))).IsAccepted);
        var e = await StoredAsync(core);
        await chat.AtAsync(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(ExperimentStatus.Proposed, (await StoredAsync(core)).Status);
        await chat.ClickAsync("lee", ExperimentMessages.Approve, Id(e.Id));
        Assert.Equal(ExperimentStatus.Running, (await StoredAsync(core)).Status);
    }

    [Fact]
    public async Task ApprovedAfterItsEndDate_TheResultIsStillAskedFor()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        Assert.True((await ProposeAsync(chat, Proposal("LimitedProduction", sponsor: "ana"))).IsAccepted);
        var e = await StoredAsync(core);
        // Its start and end dates come and go while it waits: their reminders find nothing to do.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        Assert.DoesNotContain(chat.DirectMessages("sam"), m => m.FallbackText.StartsWith("Time to record", StringComparison.Ordinal));

        await chat.ClickAsync("ana", ExperimentMessages.Approve, Id(e.Id));
        await chat.RunDueAsync();
        Assert.Equal(ExperimentStatus.Running, (await StoredAsync(core)).Status);
        var asked = CoreChat.Text(Assert.Single(chat.DirectMessages("sam"), m => m.FallbackText.StartsWith("Time to record", StringComparison.Ordinal)));
        Assert.Contains("ended on Friday 4 December", asked);
        Assert.Single(chat.DirectMessages("sam"), m => m.FallbackText.EndsWith("starts today", StringComparison.Ordinal));

        // And it keeps asking, every 3 working days, until the result is in.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, chat.DirectMessages("sam").Count(m => m.FallbackText.StartsWith("Time to record", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheProposer_CannotSponsorOrApproveTheirOwnProductionExperiment()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var refused = await ProposeAsync(chat, Proposal("FullProduction", sponsor: "sam"));
        Assert.Equal(["sponsor"], refused.Errors.Keys);
        Assert.Empty(await core.WithDbAsync(db => db.Experiments.ToListAsync()));

        // Lee manages Payments, but what Lee proposes is decided by someone else.
        await chat.CommandAsync("lee", "/propose-experiment Canary stage for config deploys");
        Assert.True((await chat.SubmitAsync("lee", chat.LastForm("lee"), Proposal("FullProduction", sponsor: "ana"))).IsAccepted);
        await chat.RunDueAsync();
        var e = await StoredAsync(core);
        await chat.ClickAsync("lee", ExperimentMessages.Approve, Id(e.Id));
        Assert.Contains("is yours and reaches production", chat.LastReply("lee"));
        Assert.Equal(ExperimentStatus.Proposed, (await StoredAsync(core)).Status);
        await chat.ClickAsync("ana", ExperimentMessages.Approve, Id(e.Id));
        Assert.Equal(ExperimentStatus.Approved, (await StoredAsync(core)).Status);
    }

    [Fact]
    public async Task FormsAndClicksSentBackByAClient_AreCheckedAgainstWhoAndWhatStatus_OnTheServer()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        Assert.True((await ProposeAsync(chat, Proposal("LimitedProduction", sponsor: "ana"))).IsAccepted);
        var e = await StoredAsync(core);

        // Kim submits the sponsor's "ask for changes" form as if it were hers: she does not decide.
        await chat.ClickAsync("ana", ExperimentMessages.AskForChanges, Id(e.Id));
        var changes = chat.LastForm("ana");
        Assert.True((await chat.SubmitAsync("kim", changes, ("note", "Do it my way"))).IsAccepted);
        Assert.Contains("its sponsor or a Payments manager decides", chat.LastReply("kim"));
        // A result for an experiment still waiting for approval, even from its proposer, and a form naming an
        // experiment that does not exist.
        Assert.True((await chat.SubmitAsync("sam", ExperimentForms.Conclude(e), ("outcome", "Adopt"), ("result", "Great"), ("learning", "All of it"))).IsAccepted);
        Assert.Contains("there is no result to record now", chat.LastReply("sam"));
        Assert.True((await chat.SubmitAsync("sam", ExperimentForms.Conclude(e) with { PrivateState = "999" }, ("outcome", "Adopt"), ("result", "Great"),
            ("learning", "All of it"))).IsAccepted);
        Assert.Contains("I can't find that experiment", chat.LastReply("sam"));
        await chat.ClickAsync("kim", ExperimentMessages.Withdraw, Id(e.Id));
        Assert.Contains("Only Sam Rivera, who proposed EXP-1, can withdraw it", chat.LastReply("kim"));
        var unchanged = await StoredAsync(core);
        Assert.Equal((ExperimentStatus.Proposed, null, null), (unchanged.Status, unchanged.ChangesNote, unchanged.Result));

        // Sam withdraws it; the sponsor's form, still open, can no longer ask for changes, nor a manager approve it.
        await chat.ClickAsync("sam", ExperimentMessages.Withdraw, Id(e.Id));
        Assert.Contains("EXP-1 is withdrawn", chat.LastReply("sam"));
        Assert.True((await chat.SubmitAsync("ana", changes, ("note", "Start with 5% of traffic"))).IsAccepted);
        Assert.Contains("is not waiting for approval (withdrawn)", chat.LastReply("ana"));
        await chat.ClickAsync("lee", ExperimentMessages.Approve, Id(e.Id));
        Assert.Contains("is not waiting for approval (withdrawn)", chat.LastReply("lee"));
        await chat.ClickAsync("sam", ExperimentMessages.Withdraw, Id(e.Id));
        Assert.Contains("EXP-1 is withdrawn, so that is closed now", chat.LastReply("sam"));
        await chat.RunDueAsync();
        var withdrawn = await StoredAsync(core);
        Assert.Equal((ExperimentStatus.Withdrawn, null), (withdrawn.Status, withdrawn.ChangesNote));
        Assert.Equal(["Proposed", "Withdrawn"], withdrawn.Transitions.OrderBy(t => t.Id).Select(t => t.To.ToString()));
        Assert.DoesNotContain("[Withdraw]", CoreChat.Text(Card(chat, "#payments")));
    }

    [Fact]
    public async Task ClicksAtTheSameMoment_AreAllCounted()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await ProposeAsync(chat, Proposal("TeamOnly"));
        var e = await StoredAsync(core);
        string[] people = ["sam", "bea", "kim", "lee", "ana"];

        // Every click changes the experiment's version: those that lose the race are decided again, never dropped.
        await Task.WhenAll(people.Select(p => Task.Run(() => chat.ClickAsync(p, ExperimentMessages.Support, Id(e.Id)))));
        await Task.WhenAll(people.Select(p => Task.Run(() => chat.ClickAsync(p, ExperimentMessages.Join, Id(e.Id)))));
        var stored = await StoredAsync(core);
        Assert.Equal((5, 5), (stored.Count(ParticipantRole.Supporter), stored.Count(ParticipantRole.Joiner)));
        Assert.All(people, p => Assert.Contains("You joined", chat.LastReply(p)));

        await Task.WhenAll(people.Select(p => Task.Run(() => chat.ClickAsync(p, ExperimentMessages.Support, Id(e.Id)))));
        Assert.Equal(0, (await StoredAsync(core)).Count(ParticipantRole.Supporter));
        Assert.All(people, p => Assert.Contains("You no longer support", chat.LastReply(p)));
    }

    [Fact]
    public async Task SupportAndJoin_AreCountedOncePerPerson_AndAConcernIsAttributed()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await ProposeAsync(chat, Proposal("TeamOnly"));
        var e = await StoredAsync(core);

        await chat.ClickAsync("bea", ExperimentMessages.Support, Id(e.Id));
        await chat.ClickAsync("bea", ExperimentMessages.Support, Id(e.Id));
        Assert.Contains("You no longer support", chat.LastReply("bea"));
        await chat.ClickAsync("bea", ExperimentMessages.Support, Id(e.Id));
        await chat.ClickAsync("kim", ExperimentMessages.Support, Id(e.Id));
        await chat.ClickAsync("kim", ExperimentMessages.Join, Id(e.Id));
        await chat.ClickAsync("kim", ExperimentMessages.Concern, Id(e.Id));
        Assert.False((await chat.SubmitAsync("kim", chat.LastForm("kim"), ("concern", ""))).IsAccepted);
        Assert.True((await chat.SubmitAsync("kim", chat.LastForm("kim"), ("concern", "What if the canary hides a slow rollout?"))).IsAccepted);
        await chat.RunDueAsync();

        var stored = await StoredAsync(core);
        Assert.Equal((2, 1), (stored.Count(ParticipantRole.Supporter), stored.Count(ParticipantRole.Joiner)));
        var concern = Assert.Single(stored.Concerns);
        Assert.Equal(("kim", "Kim Laine"), (concern.ByKey, concern.ByName));
        var card = CoreChat.Text(Card(chat, "#payments"));
        Assert.Contains("💬 Concern from Kim Laine: What if the canary hides a slow rollout?", card);
        Assert.Contains("👍 2 support · 🙋 1 joined", card);
    }

    [Fact]
    public async Task AReminderRunTwice_SendsOnce()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await ProposeAsync(chat, Proposal("TeamOnly"));
        var end = new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);
        await chat.AtAsync(end);
        var due = chat.DirectMessages("sam").Count(m => m.FallbackText.StartsWith("Time to record", StringComparison.Ordinal));
        Assert.Equal(1, due);

        await core.WithDbAsync(db => db.Reminders.Where(r => r.Kind == ExperimentReminders.Due.Name && r.DueAt == end)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Pending)));
        await chat.RunDueAsync();
        Assert.Equal(1, chat.DirectMessages("sam").Count(m => m.FallbackText.StartsWith("Time to record", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("hypothesis", null, "hypothesis")]
    [InlineData("ends", "2026-11-20", "ends")]
    [InlineData("ends", "2027-03-01", "ends")]
    [InlineData("ends", null, "ends")]
    [InlineData("link", "javascript:alert(1)", "link")]
    [InlineData("kind", "Blame", "kind")]
    [InlineData("kind", "1", "kind")]
    [InlineData("kind", "+1", "kind")]
    [InlineData("radius", "NonProduction, LimitedProduction", "radius")] // the enum parser would read FullProduction
    public async Task AProposalWithAProblem_ShowsItBesideTheField_AndStoresNothing(string field, string? value, string error)
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var values = Proposal("LimitedProduction").Where(v => v.Item1 != field).Append((field, value)).ToArray();
        var result = await ProposeAsync(chat, values);
        Assert.Equal([error], result.Errors.Keys);
        Assert.Empty(await core.WithDbAsync(db => db.Experiments.ToListAsync()));
        Assert.Empty(chat.Posts("#payments"));
    }

    [Fact]
    public async Task AProductionExperimentWithoutARollbackPlan_IsRefused()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var result = await ProposeAsync(chat, Proposal("FullProduction", rollback: null));
        Assert.Equal(["rollback"], result.Errors.Keys);
        Assert.Empty(await core.WithDbAsync(db => db.Experiments.ToListAsync()));
    }

    [Fact]
    public async Task AReviewsActionItem_BecomesAPrefilledProposal_ThatNamesTheReview()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 11, 0, 0, TimeSpan.Zero));
        var review = await core.WithDbAsync(db => db.Reviews.SingleAsync());
        await chat.ClickAsync("bea", ReviewMessages.EditOf("actions"), ReviewForms.State(review.Id, "actions"));
        await chat.SubmitAsync("bea", chat.LastForm("bea"), ("title", "Canary stage for config deploys"), ("owner", "sam"), ("due", "2026-12-10"), ("kind", "Prevent"));
        await chat.RunDueAsync();
        var item = CoreChat.Text(Assert.Single(chat.DirectMessages("sam")));
        Assert.Contains("[🧪 Propose as an experiment]", item);

        var itemId = await core.WithDbAsync(db => db.ActionItems.Select(a => a.Id).SingleAsync());
        await chat.ClickAsync("sam", ExperimentButtons.FromActionItem, Id(itemId));
        var form = chat.LastForm("sam");
        Assert.Equal("Canary stage for config deploys", form.Fields.Single(f => f.Id == "title").Initial);
        Assert.StartsWith("We believe \"Canary stage for config deploys\" will", form.Fields.Single(f => f.Id == "hypothesis").Initial);
        Assert.True((await chat.SubmitAsync("sam", form, Proposal("TeamOnly").Where(v => v.Item1 is not ("title" or "hypothesis")).ToArray())).IsAccepted);
        await chat.RunDueAsync();
        Assert.Equal($"PIR-{review.Id}", (await StoredAsync(core)).From);

        // A forged state names nothing.
        await chat.CommandAsync("sam", "/propose-experiment Another one");
        var forged = chat.LastForm("sam") with { PrivateState = "from:<!channel> PIR-999" };
        Assert.True((await chat.SubmitAsync("sam", forged, Proposal("TeamOnly").Where(v => v.Item1 != "title").ToArray())).IsAccepted);
        Assert.Null(await core.WithDbAsync(db => db.Experiments.OrderByDescending(x => x.Id).Select(x => x.From).FirstAsync()));
        Assert.Contains($"from PIR-{review.Id}", CoreChat.Text(Card(chat, "#payments")));
    }

    [Fact]
    public async Task APublishedReviewsTopFactor_BecomesAPrefilledProposal()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 11, 0, 0, TimeSpan.Zero));
        var review = await core.WithDbAsync(db => db.Reviews.SingleAsync());
        foreach (var section in new[] { "summary", "impact", "detection", "learnings" }) await chat.WriteAsync("bea", review.Id, section, ("text", "Written"));
        await chat.WriteAsync("bea", review.Id, "factors", ("text", "Config changes skip the canary stage."), ("tag", "tooling"));
        await chat.ClickAsync("bea", ReviewMessages.Complete, Id(review.Id));
        await chat.RunDueAsync();
        var summary = Assert.Single(chat.Posts("#payments"), m => m.FallbackText.StartsWith("Learnings", StringComparison.Ordinal));
        var propose = summary.Blocks.OfType<ButtonsBlock>().SelectMany(b => b.Buttons).Single(b => b.ActionId == ExperimentButtons.FromFactor);

        await chat.ClickAsync("kim", propose.ActionId, propose.Value);
        var form = chat.LastForm("kim");
        Assert.Contains("Config changes skip the canary stage.", form.Fields.Single(f => f.Id == "hypothesis").Initial);
        Assert.Equal($"from:PIR-{review.Id}", form.PrivateState);
        // A contribution that is not a contributing factor proposes nothing.
        var summaryId = await core.WithDbAsync(db => db.ReviewContributions.Where(c => c.Section == "summary").Select(c => c.Id).FirstAsync());
        await chat.ClickAsync("kim", ExperimentButtons.FromFactor, Id(summaryId));
        Assert.Contains("can't find that contributing factor", chat.LastReply("kim"));
    }

    [Fact]
    public async Task Lists_AndShow()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await ProposeAsync(chat, Proposal("TeamOnly"));
        var e = await StoredAsync(core);
        await chat.CommandAsync("sam", "/experiments");
        Assert.Contains($"*Yours*\n• *EXP-{e.Id}* Canary stage for config deploys", chat.LastReply("sam"));
        await chat.CommandAsync("kim", "/propose-experiment list");
        Assert.Contains($"*Your teams'*\n• *EXP-{e.Id}*", chat.LastReply("kim"));
        await chat.CommandAsync("kim", $"/experiments show EXP-{e.Id}");
        Assert.Contains("*Hypothesis*", chat.LastReply("kim"));
        await chat.CommandAsync("kim", "/experiments show EXP-999");
        Assert.Contains("I can't find EXP-999", chat.LastReply("kim"));
    }
}

public sealed class ExperimentLifecycleOnSqlite() : ExperimentLifecycleTests(TestProvider.Sqlite);

public sealed class ExperimentLifecycleOnPostgres() : ExperimentLifecycleTests(TestProvider.Postgres);
