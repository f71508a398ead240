using System.Globalization;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.Features.Reviews;

/// <summary>A review from resolution to published learnings, as transcripts on Core with a fake clock.</summary>
public abstract class ReviewLifecycleTests(TestProvider provider)
{
    private static readonly DateTimeOffset FridayOpened = new(2026, 11, 27, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FridayResolved = new(2026, 11, 27, 15, 30, 0, TimeSpan.Zero); // 16:30 in Berlin
    private static readonly DateTimeOffset MondayMorningBerlin = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero); // 09:00 CET

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Resolve_Prompt_TwoWriters_Coach_ActionItems_Complete_Publish()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);

        // 1. Resolve: the review exists at once, but nobody is prompted on a Friday evening.
        var incident = await chat.IncidentAsync(FridayOpened, FridayResolved);
        var review = await chat.ReviewAsync();
        Assert.Equal(("bea", incident, ReviewStatus.Draft), (review.OwnerKey, review.IncidentId!.Value, review.Status));
        Assert.Equal(("blameless", 1), (review.TemplateName, review.TemplateVersion));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 15, 30, 0, TimeSpan.Zero), review.DueAt);
        Assert.Contains(review.Timeline, t => t.Source == "incident" && t.Text.Contains("Bea Okafor", StringComparison.Ordinal));
        Assert.Empty(chat.DirectMessages("bea"));

        // 2. The first prompt comes the next working morning in the owner's zone: Monday 09:00 in Berlin.
        await chat.AtAsync(MondayMorningBerlin.AddMinutes(-1));
        Assert.Empty(chat.DirectMessages("bea"));
        await chat.AtAsync(MondayMorningBerlin);
        var draft = CoreChat.Text(Assert.Single(chat.DirectMessages("bea")));
        Assert.Contains($"Post-incident review PIR-{review.Id}: INC-{incident}: Checkout 500s", draft);
        Assert.Contains("Draft · 0 of 5 required sections written", draft);
        Assert.Contains("Due: Fri 4 Dec 2026", draft);
        Assert.Contains("[➕ Summary]", draft);
        Assert.Contains("[Complete] [Snooze 1 day] [Hand over…] [Export Markdown]", draft);

        // 3 and 4. Two people write; the coach notes blame beside the text and never blocks.
        Assert.True((await chat.WriteAsync("bea", review.Id, "summary", ("text", "Sam failed to roll back the config in time."))).IsAccepted);
        Assert.Contains("Saved to *Summary*", chat.LastReply("bea"));
        Assert.Contains("💡 About “failed to”", chat.LastReply("bea"));
        Assert.True((await chat.WriteAsync("kim", review.Id, "summary", ("text", "Checkout returned 500s for 90 minutes after a config change."))).IsAccepted);
        Assert.DoesNotContain("💡", chat.LastReply("kim"));
        Assert.True((await chat.WriteAsync("kim", review.Id, "detection", ("text", "The deploy failed to roll back automatically; a customer told us first."))).IsAccepted);
        Assert.DoesNotContain("💡", chat.LastReply("kim"));
        await chat.WriteAsync("bea", review.Id, "impact", ("text", "All card payments in the EU, about 4,000 customers, for 90 minutes."));
        var factor = await chat.WriteAsync("bea", review.Id, "factors", ("text", "Config changes skip the canary stage."), ("tag", "tooling"), ("tags", "Config, canary"));
        Assert.True(factor.IsAccepted);
        Assert.True((await chat.WriteAsync("bea", review.Id, "timeline", ("when", "2026-11-27 15:10"), ("what", "Config rolled back by hand"))).IsAccepted);
        Assert.False((await chat.WriteAsync("bea", review.Id, "timeline", ("when", "yesterday"), ("what", "x"))).IsAccepted);

        // Bea edits her own part of the summary: still one contribution of hers.
        await chat.WriteAsync("bea", review.Id, "summary", ("text", "A config change took checkout down; the rollback was manual."));
        review = await chat.ReviewAsync();
        Assert.Equal(2, review.ContributionsTo("summary").Count());
        Assert.Empty(review.ContributionsTo("summary").Single(c => c.By == "bea").Notes);
        Assert.Equal(["tooling", "config", "canary"], review.ContributionsTo("factors").Single().Tags);
        Assert.Contains(review.Timeline, t => t.Source == "added" && t.AddedBy == "bea" && t.At == new DateTimeOffset(2026, 11, 27, 14, 10, 0, TimeSpan.Zero));
        // Kim tags the same factor: the digest's recurring factors count reviews, so it is still one.
        Assert.True((await chat.WriteAsync("kim", review.Id, "factors", ("text", "Alerts on config errors are missing."), ("tag", "tooling"))).IsAccepted);
        var tags = await core.WithDbAsync(db => ReviewFacts.FactorTagsAsync(db, "payments", DateTimeOffset.MinValue.AddYears(2000), DateTimeOffset.MaxValue.AddYears(-2000), CancellationToken.None));
        Assert.Equal([("canary", 1), ("config", 1), ("tooling", 1)], tags);

        // A person outside the team may not write to it.
        await chat.ClickAsync("raj", ReviewMessages.EditOf("summary"), ReviewForms.State(review.Id, "summary"));
        Assert.Contains("belongs to Payments", chat.LastReply("raj"));

        // 5. Action items: Kim owns one, and hears about it with buttons.
        await chat.ClickAsync("bea", ReviewMessages.EditOf("actions"), ReviewForms.State(review.Id, "actions"));
        var added = await chat.SubmitAsync("bea", chat.LastForm("bea"), ("title", "Canary stage for config deploys"), ("owner", "kim"), ("due", "2026-12-10"), ("kind", "Detect"));
        Assert.True(added.IsAccepted);
        await chat.RunDueAsync();
        var item = CoreChat.Text(Assert.Single(chat.DirectMessages("kim")));
        Assert.Contains("Action item: Canary stage for config deploys", item);
        Assert.Contains("[Done] [Push back a week] [Not doing (why)]", item);

        // Completing is refused while a required section is empty.
        await chat.ClickAsync("bea", ReviewMessages.Complete, Id(review.Id));
        Assert.Contains("still needs *Learnings to share*", chat.LastReply("bea"));
        await chat.WriteAsync("kim", review.Id, "learnings", ("text", "Treat config like code: it goes through the same stages."));
        await chat.ClickAsync("kim", ReviewMessages.Complete, Id(review.Id));
        Assert.Contains("Completing it is for its owner or a Payments manager", chat.LastReply("kim"));

        // The draft in Bea's messages followed every change.
        await chat.RunDueAsync();
        var latest = CoreChat.Text(chat.Updates().Last(m => m.FallbackText.StartsWith("Post-incident review", StringComparison.Ordinal)));
        Assert.Contains("Draft · 5 of 5 required sections written", latest);
        Assert.Contains("Kim Laine", latest);
        Assert.Contains("Canary stage for config deploys — Kim Laine, due Thu 10 Dec 2026 (Detect) · Open", latest);
        Assert.Contains("• 15:10 Config rolled back by hand (Bea Okafor)", latest);

        // 6. Complete and publish: the team channel learns, the incident links the review, the event is announced.
        await chat.ClickAsync("bea", ReviewMessages.Complete, Id(review.Id));
        Assert.Contains("is complete", chat.LastReply("bea"));
        await chat.RunDueAsync();
        var summary = CoreChat.Text(Assert.Single(chat.Posts("#payments"), m => m.FallbackText.StartsWith("Learnings", StringComparison.Ordinal)));
        Assert.Contains("📚 Learnings: INC-", summary);
        Assert.Contains("[tooling, config, canary] Config changes skip the canary stage.", summary);
        Assert.Contains("Treat config like code", summary);
        Assert.Contains("2 contributors", summary);
        var completed = Assert.Single(await core.WithDbAsync(db => db.FeatureEvents.Where(e => e.Type == nameof(ReviewCompleted)).ToListAsync()));
        Assert.Equal(review.Id, completed.SubjectId);
        var stored = await core.WithDbAsync(db => db.Incidents.Include(i => i.Timeline).SingleAsync());
        Assert.NotNull(stored.ReviewCompletedAt);
        Assert.Contains(stored.Timeline, e => e.Kind == IncidentEventKind.ReviewCompleted);
        Assert.Contains(chat.Updates(), m => CoreChat.Text(m).Contains($"Post-incident review PIR-{review.Id} is complete", StringComparison.Ordinal));

        // Nothing left to nudge: the prompts after completion do nothing, and the managers hear nothing.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero));
        Assert.Single(chat.DirectMessages("bea"));
        Assert.Empty(chat.DirectMessages("lee"));

        // The action item's due date reminded Kim, at 09:00 in Helsinki.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 10, 6, 59, 0, TimeSpan.Zero));
        Assert.Single(chat.DirectMessages("kim"));
        await chat.AtAsync(new DateTimeOffset(2026, 12, 10, 7, 0, 0, TimeSpan.Zero));
        Assert.Contains("is due today", CoreChat.Text(chat.DirectMessages("kim")[^1]));
    }

    [Fact]
    public async Task Nudges_AfterTwoAndFiveWorkingDays_WhileRequiredSectionsAreEmpty_ThenManagersAreOfferedHelp()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(FridayOpened, FridayResolved);
        await chat.AtAsync(MondayMorningBerlin);
        Assert.Single(chat.DirectMessages("bea"));

        await chat.AtAsync(new DateTimeOffset(2026, 12, 2, 7, 59, 0, TimeSpan.Zero));
        Assert.Single(chat.DirectMessages("bea"));
        await chat.AtAsync(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var nudge = CoreChat.Text(chat.DirectMessages("bea")[^1]);
        Assert.Contains("2 working days", nudge);
        Assert.Contains("[Open the draft] [Snooze 1 day] [Hand over…]", nudge);

        // After the due window (5 working days from Friday afternoon), the manager gets a kind note.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 4, 15, 30, 0, TimeSpan.Zero));
        var note = CoreChat.Text(Assert.Single(chat.DirectMessages("lee")));
        Assert.Contains("could use a hand", note);
        Assert.Contains("not because people don't care", note);

        await chat.AtAsync(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        Assert.Contains("5 working days", CoreChat.Text(chat.DirectMessages("bea")[^1]));
        Assert.Equal(3, chat.DirectMessages("bea").Count);
    }

    [Fact]
    public async Task Snooze_MovesThePromptsOneWorkingDay_AndHandOver_SendsTheDraftToTheNewOwner()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(FridayOpened, FridayResolved);
        await chat.AtAsync(MondayMorningBerlin);
        var review = await chat.ReviewAsync();

        await chat.ClickAsync("bea", ReviewMessages.Snooze, Id(review.Id));
        Assert.Contains("Snoozed", chat.LastReply("bea"));
        var nudges = await chat.PendingAsync(ReviewReminders.Prompt);
        Assert.Equal([new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero)], nudges.Select(r => r.DueAt));
        await chat.AtAsync(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        Assert.Single(chat.DirectMessages("bea"));
        await chat.AtAsync(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, chat.DirectMessages("bea").Count);

        await chat.ClickAsync("bea", ReviewMessages.HandOver, Id(review.Id));
        Assert.False((await chat.SubmitAsync("bea", chat.LastForm("bea"), ("owner", "nobody"))).IsAccepted);
        Assert.True((await chat.SubmitAsync("bea", chat.LastForm("bea"), ("owner", "sam"))).IsAccepted);
        await chat.RunDueAsync();
        Assert.Contains("Sam Rivera owns PIR-", chat.LastReply("bea"));
        Assert.Contains("Post-incident review PIR-", CoreChat.Text(Assert.Single(chat.DirectMessages("sam"))));
        Assert.Equal("sam", (await chat.ReviewAsync()).OwnerKey);
        // The next nudge goes to the new owner.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero));
        Assert.Contains("5 working days", CoreChat.Text(chat.DirectMessages("sam")[^1]));
    }

    [Fact]
    public async Task APromptRunTwice_SendsOnce()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(FridayOpened, FridayResolved);
        await chat.AtAsync(MondayMorningBerlin);
        Assert.Single(chat.DirectMessages("bea"));

        // The scheduler runs the prompt again (a retry after a crash before it was marked done): the claimed card stops it.
        await core.WithDbAsync(db => db.Reminders.Where(r => r.Kind == ReviewReminders.Prompt.Name && r.DueAt == MondayMorningBerlin)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Pending)));
        await chat.RunDueAsync();
        Assert.Single(chat.DirectMessages("bea"));
    }

    [Fact]
    public async Task PromptsThatComeAfterCompletion_SendNothing()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(FridayOpened, FridayResolved);
        // Completed while its prompts were still waiting (a completion racing a prompt's run leaves them due).
        await core.WithDbAsync(db => db.Reviews.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReviewStatus.Completed)));
        Assert.NotEmpty(await core.WithDbAsync(db => db.Reminders.Where(r => r.Kind == ReviewReminders.Prompt.Name && r.Status == ReminderStatus.Pending).ToListAsync()));

        // Monday's draft, the nudges and the manager's note: none of them comes.
        await chat.AtAsync(MondayMorningBerlin.AddDays(14));
        Assert.Empty(chat.DirectMessages("bea"));
        Assert.DoesNotContain(chat.DirectMessages("lee"), m => CoreChat.Text(m).Contains("PIR-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateTriggers_MakeOneReview()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var incident = await chat.IncidentAsync(FridayOpened, FridayResolved);
        var report = new IncidentReport("webhook", "PD-" + FridayOpened.Ticks.ToString(CultureInfo.InvariantCulture), "Checkout 500s", "checkout", 2,
            ReportedStatus.Open, null, FridayOpened, null, AsOf: FridayResolved.AddMinutes(5));
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report, FridayResolved, CancellationToken.None));
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report with { Status = ReportedStatus.Resolved, ResolvedAt = FridayResolved.AddMinutes(9), AsOf = FridayResolved.AddMinutes(10) },
            FridayResolved, CancellationToken.None));
        await chat.CommandAsync("kim", $"/review start INC-{incident}");
        Assert.Contains("already has review PIR-", chat.LastReply("kim"));
        await chat.RunDueAsync();

        Assert.Equal(2, await core.WithDbAsync(db => db.FeatureEvents.CountAsync(e => e.Type == nameof(IncidentResolved))));
        Assert.Single(await core.WithDbAsync(db => db.Reviews.ToListAsync()));
        Assert.Single(await core.WithDbAsync(db => db.FeatureEvents.Where(e => e.Type == nameof(ReviewRequested)).ToListAsync()));
        Assert.Single(await chat.PendingAsync(ReviewReminders.Overdue));
    }

    [Fact]
    public async Task AMildIncident_GetsAButtonInsteadOfAReview_AndTheButtonStartsIt()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var incident = await chat.IncidentAsync(FridayOpened, FridayResolved, impact: 4);
        Assert.Empty(await core.WithDbAsync(db => db.Reviews.ToListAsync()));
        var card = chat.Updates().Last(m => m.FallbackText.StartsWith("Incident INC-", StringComparison.Ordinal));
        Assert.Contains("[Start a review]", CoreChat.Text(card));

        await chat.ClickAsync("sam", ReviewButtons.StartForIncident, Id(incident));
        Assert.Contains("Started blameless review PIR-", chat.LastReply("sam"));
        await chat.RunDueAsync();
        // Started by hand, the owner (Bea, who was on it) gets the draft now.
        Assert.Single(chat.DirectMessages("bea"));
    }

    [Fact]
    public async Task FirstPrompt_FollowsTheOwnersZone_AcrossTheEndOfDaylightSavingTime()
    {
        await using var core = await CoreHarness.CreateAsync(provider,
            s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 10, 30, 12, 0, 0, TimeSpan.Zero))));
        var chat = new CoreChat(core);
        // Platform (New York) owns Kubernetes; nobody took it, so the primary on-call at resolution owns the review.
        var opened = new DateTimeOffset(2026, 10, 30, 18, 0, 0, TimeSpan.Zero);
        var resolved = new DateTimeOffset(2026, 10, 30, 20, 0, 0, TimeSpan.Zero); // Friday 16:00 EDT
        core.Clock.SetUtcNow(opened);
        var report = new IncidentReport("webhook", "K8S-1", "Pods evicted", "kubernetes", 2, ReportedStatus.Open, null, opened, null);
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report, opened, CancellationToken.None));
        core.Clock.SetUtcNow(resolved);
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report with { Status = ReportedStatus.Resolved, ResolvedAt = resolved, AsOf = resolved },
            resolved, CancellationToken.None));
        await chat.RunDueAsync();
        var review = await chat.ReviewAsync();
        var owner = OnCallSchedule.At(await core.WithDbAsync(db => db.Teams.SingleAsync(t => t.Key == "platform")), resolved).Primary!;
        Assert.Equal(owner, review.OwnerKey);

        // Monday 2 November 09:00 in New York is 14:00 UTC: the clocks went back on Sunday.
        await chat.AtAsync(new DateTimeOffset(2026, 11, 2, 13, 59, 0, TimeSpan.Zero));
        Assert.Empty(chat.DirectMessages(owner));
        await chat.AtAsync(new DateTimeOffset(2026, 11, 2, 14, 0, 0, TimeSpan.Zero));
        Assert.Single(chat.DirectMessages(owner));
    }

    [Fact]
    public async Task ActionItems_PushBack_NotDoing_AndOnlyTheirPeopleMayChangeThem()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(FridayOpened, FridayResolved);
        var review = await chat.ReviewAsync();
        foreach (var title in new[] { "Alert on config drift", "Rewrite the deployer" })
        {
            await chat.ClickAsync("bea", ReviewMessages.EditOf("actions"), ReviewForms.State(review.Id, "actions"));
            Assert.True((await chat.SubmitAsync("bea", chat.LastForm("bea"), ("title", title), ("owner", "sam"), ("due", "2026-12-01"), ("kind", "Prevent"))).IsAccepted);
        }
        await chat.ClickAsync("bea", ReviewMessages.EditOf("actions"), ReviewForms.State(review.Id, "actions"));
        var late = await chat.SubmitAsync("bea", chat.LastForm("bea"), ("title", "x"), ("owner", "sam"), ("due", "2026-11-01"), ("kind", "Blame"));
        Assert.Equal(["due", "kind"], late.Errors.Keys.Order());
        var items = (await chat.ReviewAsync()).ActionItems.OrderBy(a => a.Id).ToArray();

        await chat.ClickAsync("raj", ReviewMessages.ItemDone, Id(items[0].Id));
        Assert.Contains("Only the item's owner", chat.LastReply("raj"));
        await chat.ClickAsync("sam", ReviewMessages.ItemPushBack, Id(items[0].Id));
        Assert.Contains("Moved \"Alert on config drift\" to Tue 8 Dec 2026", chat.LastReply("sam"));
        await chat.ClickAsync("sam", ReviewMessages.ItemDecline, Id(items[1].Id));
        Assert.False((await chat.SubmitAsync("sam", chat.LastForm("sam"), ("why", ""))).IsAccepted);
        Assert.True((await chat.SubmitAsync("sam", chat.LastForm("sam"), ("why", "The canary covers it"))).IsAccepted);

        // The pushed-back item is reminded on its new date only (08:00 UTC is 09:00 in Berlin); the declined one never.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.DoesNotContain(chat.DirectMessages("sam"), m => m.FallbackText.StartsWith("Action item due", StringComparison.Ordinal));
        await chat.AtAsync(new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero));
        var due = Assert.Single(chat.DirectMessages("sam"), m => m.FallbackText.StartsWith("Action item due", StringComparison.Ordinal));
        Assert.Contains("Alert on config drift", CoreChat.Text(due));
        // Then weekly while it is overdue.
        await chat.AtAsync(new DateTimeOffset(2026, 12, 15, 8, 0, 0, TimeSpan.Zero));
        Assert.Contains("1 week past its due date", CoreChat.Text(chat.DirectMessages("sam")[^1]));
        var stored = (await chat.ReviewAsync()).ActionItems.OrderBy(a => a.Id).ToArray();
        Assert.Equal((ActionStatus.Open, 1, ActionStatus.NotDoing, "The canary covers it"), (stored[0].Status, stored[0].PushedBack, stored[1].Status, stored[1].Note));
    }

    [Fact]
    public async Task Lists_Show_AndActions_AreForTheTeam()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.IncidentAsync(FridayOpened, FridayResolved);
        var review = await chat.ReviewAsync();

        await chat.CommandAsync("bea", "/review");
        var mine = chat.LastReply("bea");
        Assert.Contains($"*Yours*\n• *PIR-{review.Id}*", mine);
        await chat.CommandAsync("kim", "/review");
        Assert.Contains($"*Your teams'*\n• *PIR-{review.Id}*", chat.LastReply("kim"));
        await chat.CommandAsync("raj", "/review");
        Assert.Contains("Nothing waiting for you", chat.LastReply("raj"));
        Assert.DoesNotContain($"PIR-{review.Id}", chat.LastReply("raj"));

        await chat.CommandAsync("kim", $"/review show PIR-{review.Id}");
        Assert.Contains("[➕ Summary]", chat.LastReply("kim"));
        await chat.CommandAsync("raj", $"/review show PIR-{review.Id}");
        Assert.Contains("belongs to Payments", chat.LastReply("raj"));
        await chat.CommandAsync("kim", "/review show PIR-999");
        Assert.Contains("I can't find that review", chat.LastReply("kim"));
        await chat.CommandAsync("kim", "/review frobnicate");
        Assert.Contains("I don't know `/review frobnicate`", chat.LastReply("kim"));

        await chat.ClickAsync("bea", ReviewMessages.EditOf("actions"), ReviewForms.State(review.Id, "actions"));
        await chat.SubmitAsync("bea", chat.LastForm("bea"), ("title", "Alert on config drift"), ("owner", "sam"), ("due", "2026-12-01"), ("kind", "Detect"));
        await chat.CommandAsync("sam", "/review actions");
        Assert.Contains("*Yours*\n• Alert on config drift — Sam Rivera", chat.LastReply("sam"));
        await chat.CommandAsync("kim", "/review actions");
        Assert.Contains("*Your teams'*\n• Alert on config drift", chat.LastReply("kim"));
    }
}

public sealed class ReviewLifecycleOnSqlite() : ReviewLifecycleTests(TestProvider.Sqlite);

public sealed class ReviewLifecycleOnPostgres() : ReviewLifecycleTests(TestProvider.Postgres);

/// <summary>A team's own template and the organisation's learnings channel, from configuration.</summary>
public abstract class ReviewConfigurationTests(TestProvider provider)
{
    [Fact]
    public async Task ATeamsThresholdAndDueWindow_AreItsOwn()
    {
        await using var core = await CoreHarness.CreateAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Directory:Teams:0:Reviews:AutomaticUpToImpact"] = "4",
            ["Directory:Teams:0:Reviews:DueWorkingDays"] = "2",
        });
        var chat = new CoreChat(core);
        // Payments reviews impact 4 as well, and gives itself two working days: from Friday 16:30 in Berlin, Tuesday 16:30.
        await chat.IncidentAsync(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 27, 15, 30, 0, TimeSpan.Zero), impact: 4);
        var review = await core.WithDbAsync(db => db.Reviews.SingleAsync());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 15, 30, 0, TimeSpan.Zero), review.DueAt);
        // Impact 5 stays below its threshold: a button, not a review.
        await chat.IncidentAsync(new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 27, 16, 30, 0, TimeSpan.Zero), impact: 5);
        Assert.Single(await core.WithDbAsync(db => db.Reviews.ToListAsync()));
    }

    [Fact]
    public async Task ATeamTemplate_IsUsedAndRecorded_AndLearningsGoToTheLearningsChannel()
    {
        await using var core = await CoreHarness.CreateAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Reviews:LearningsChannels:playground"] = "#learnings",
            ["Directory:Teams:0:Reviews:Template:Name"] = "short",
            ["Directory:Teams:0:Reviews:Template:Version"] = "3",
            ["Directory:Teams:0:Reviews:Template:Sections:0:Key"] = "what",
            ["Directory:Teams:0:Reviews:Template:Sections:0:Title"] = "What happened",
            ["Directory:Teams:0:Reviews:Template:Sections:0:Prompt"] = "In two lines.",
            ["Directory:Teams:0:Reviews:Template:Sections:0:Required"] = "true",
            ["Directory:Teams:0:Reviews:Template:Sections:1:Key"] = "factors",
            ["Directory:Teams:0:Reviews:Template:Sections:1:Title"] = "Why",
            ["Directory:Teams:0:Reviews:Template:Sections:1:Kind"] = "Factors",
        });
        var chat = new CoreChat(core);
        await chat.IncidentAsync(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        var review = await chat.ReviewAsync();
        Assert.Equal(("short", 3), (review.TemplateName, review.TemplateVersion));
        Assert.Equal(["what", "factors"], review.Sections.Select(s => s.Key));

        await chat.WriteAsync("bea", review.Id, "what", ("text", "Checkout failed."));
        await chat.ClickAsync("bea", ReviewMessages.Complete, review.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await chat.RunDueAsync();
        Assert.Single(chat.Posts("#payments"), m => m.FallbackText.StartsWith("Learnings", StringComparison.Ordinal));
        var shared = Assert.Single(chat.Posts("#learnings"));
        Assert.Contains("Checkout failed.", CoreChat.Text(shared));
    }
}

public sealed class ReviewConfigurationOnSqlite() : ReviewConfigurationTests(TestProvider.Sqlite);

public sealed class ReviewConfigurationOnPostgres() : ReviewConfigurationTests(TestProvider.Postgres);
