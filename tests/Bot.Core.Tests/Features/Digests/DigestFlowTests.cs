using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Digests;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Features.Digests;

/// <summary>/digest and the weekly job on Core with a real database. Lee manages Payments (Berlin), Ana manages Platform (New York).</summary>
public abstract class DigestFlowTests(TestProvider provider)
{
    private static ITeamRecurringJob Job(CoreHarness core) => core.Services.GetServices<ITeamRecurringJob>().Single(j => j.Id == "digests.weekly");

    internal static async Task RaiseAsync(CoreChat chat)
    {
        await chat.CommandAsync("ana", "/escalate checkout is slow");
        Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), ("summary", "Checkout is slow"), ("service", "checkout"), ("impact", "Degraded"))).IsAccepted);
        await chat.RunDueAsync();
    }

    [Fact]
    public async Task Digest_ManagersSeeTheFullOne_OthersTheirTeamsSummary_NobodyAnotherTeamsDetails()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await RaiseAsync(chat);

        await chat.CommandAsync("lee", "/digest");
        var full = chat.LastReply("lee");
        Assert.Contains("Culture health: Payments, this week so far (2026-W48)", full);
        Assert.Contains("• Escalations raised: 1", full);
        Assert.Contains("*Worth a look*", full);
        Assert.Contains("• Check-ins answered: no data yet", full);
        Assert.Contains("• Bea Okafor: 0 incidents, 1 escalation", full); // Bea is on call from Monday 23 November, 09:00 in Berlin

        await chat.CommandAsync("kim", "/digest");
        var summary = chat.LastReply("kim");
        Assert.Contains("Payments, this week so far", summary);
        Assert.Contains("• Escalations raised: 1", summary);
        Assert.DoesNotContain("Worth a look", summary);

        await chat.CommandAsync("raj", "/digest");
        var platform = chat.LastReply("raj");
        Assert.Contains("Platform", platform);
        Assert.DoesNotContain("Payments", platform);
    }

    [Fact]
    public async Task WeeklyJob_SendsLastWeeksDigestToEachManagerOnce_EvenRunTwice()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await RaiseAsync(chat);
        Assert.Equal(RecurringSchedule.Weekly(DayOfWeek.Monday, new TimeOnly(9, 0), "Europe/Berlin"),
            Job(core).ScheduleFor(await core.WithDbAsync(db => db.Teams.SingleAsync(t => t.Key == "payments"))));

        // Monday 30 November, 09:00 in Berlin: the digest of week 48.
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        await Job(core).RunAsync("payments", CancellationToken.None);
        await Job(core).RunAsync("payments", CancellationToken.None);
        // Run twice, the job scheduled the week's send once; the send is a reminder.
        Assert.Equal("digests.weekly:payments:202648",
            Assert.Single(await core.WithDbAsync(db => db.Reminders.Where(r => r.Kind == "digests.weekly").Select(r => r.DedupeKey).ToListAsync())));
        await chat.RunDueAsync();
        var digest = CoreChat.Text(Assert.Single(chat.DirectMessages("lee")));
        Assert.Contains("Culture health: Payments, week 2026-W48 (23 Nov – 29 Nov)", digest);
        Assert.Contains("• Escalations raised: 1", digest);
        // Ana (who raised the escalation, and was thanked for it) manages Platform, not Payments.
        Assert.DoesNotContain(chat.DirectMessages("ana"), m => CoreChat.Text(m).Contains("Culture health"));

        // Platform had a quiet week: its digest says so rather than staying silent.
        await Job(core).RunAsync("platform", CancellationToken.None);
        await chat.RunDueAsync();
        Assert.Contains("A quiet week", CoreChat.Text(Assert.Single(chat.DirectMessages("ana"), m => CoreChat.Text(m).Contains("Culture health"))));
    }

    [Fact]
    public async Task WeeklyJob_ASendThatFails_OrWhoseHostDied_IsSentLater_Once()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var monday = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        core.Clock.SetUtcNow(monday);
        var refusals = 2;
        core.Channel.RefuseDirectMessage = p => p.Key == "lee" && refusals-- > 0 ? new HttpRequestException("the platform answered 503") : null;
        await Job(core).RunAsync("payments", CancellationToken.None);

        // The platform fails twice: the first failure is retried at once, the second after a wait.
        await chat.RunDueAsync();
        await chat.RunDueAsync();
        Assert.Empty(chat.DirectMessages("lee"));
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        await chat.RunDueAsync();
        Assert.Contains("Culture health: Payments, week 2026-W48", CoreChat.Text(Assert.Single(chat.DirectMessages("lee"))));
        var sent = await core.WithDbAsync(db => db.Reminders.SingleAsync(r => r.Kind == "digests.weekly"));
        Assert.Equal((ReminderStatus.Done, 3), (sent.Status, sent.Attempts));

        // Platform's send is claimed by a host that dies before it sends: once the claim's lease has passed, another sends it.
        await Job(core).RunAsync("platform", CancellationToken.None);
        await core.WithDbAsync(db => db.Reminders.Where(r => r.DedupeKey == "digests.weekly:platform:202648")
            .ExecuteUpdateAsync(x => x.SetProperty(r => r.Status, ReminderStatus.Claimed).SetProperty(r => r.ClaimedAt, core.Clock.GetUtcNow()).SetProperty(r => r.Attempts, 1)));
        await chat.RunDueAsync();
        Assert.DoesNotContain(chat.DirectMessages("ana"), m => CoreChat.Text(m).Contains("Culture health"));
        core.Clock.Advance(TimeSpan.FromMinutes(6));
        await chat.RunDueAsync();
        Assert.Single(chat.DirectMessages("ana"), m => CoreChat.Text(m).Contains("Culture health: Platform, week 2026-W48"));
    }
}

public abstract class CheckInAndSponsorshipTests(TestProvider provider)
{
    private static IRecurringJob CheckIns(CoreHarness core) => core.Services.GetServices<IRecurringJob>().Single(j => j.Id == "digests.check-ins");

    /// <summary>Sam proposes a production experiment, which waits for approval: a worth-a-look item for the managers.</summary>
    private static async Task ProposeProductionExperimentAsync(CoreChat chat)
    {
        await chat.CommandAsync("sam", "/propose-experiment");
        Assert.True((await chat.SubmitAsync("sam", chat.LastForm("sam"), ("title", "Canary for config"), ("hypothesis", "We believe a canary will halve failed deploys"),
            ("metric", "failed config deploys"), ("threshold", "at most 1 a week"), ("kind", "Tooling"), ("radius", "LimitedProduction"),
            ("starts", "2026-11-24"), ("ends", "2026-12-04"), ("rollback", "Turn the flag off"))).IsAccepted);
        await chat.RunDueAsync();
    }

    /// <summary>The last digest a person got (other direct messages, such as pages, may have come since).</summary>
    private static string LastDigest(CoreChat chat, string person) =>
        CoreChat.Text(chat.DirectMessages(person).Last(m => CoreChat.Text(m).Contains("Culture health", StringComparison.Ordinal)));

    private static ITeamRecurringJob Weekly(CoreHarness core) => core.Services.GetServices<ITeamRecurringJob>().Single(j => j.Id == "digests.weekly");

    private static string Value(Message m, ActionId actionId) =>
        m.Blocks.OfType<ButtonsBlock>().SelectMany(b => b.Buttons).First(b => b.ActionId == actionId).Value;

    [Fact]
    public async Task CheckIn_AtTheHandoff_AsksTheOutgoingOnCallOnce_AndOnlyTheyAnswer_TextSharedOnlyWithConsent()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        // Monday 30 November, 09:05 in Berlin: Bea's week (from 23 November) handed over to Kim.
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 5, 0, TimeSpan.Zero));
        await CheckIns(core).RunAsync(CancellationToken.None);
        await CheckIns(core).RunAsync(CancellationToken.None);
        var prompt = Assert.Single(chat.DirectMessages("bea"));
        Assert.Contains("Your on-call shift for Payments ended", CoreChat.Text(prompt));
        Assert.Contains("Mon 23 Nov 09:00 – Mon 30 Nov 09:00", CoreChat.Text(prompt));
        Assert.Empty(chat.DirectMessages("kim"));
        var id = Value(prompt, CheckInForms.Open);

        await chat.ClickAsync("sam", CheckInForms.Open, id);
        Assert.Contains("only they can answer it", chat.LastReply("sam"));

        await chat.ClickAsync("bea", CheckInForms.Open, id);
        var form = chat.LastForm("bea");
        Assert.Equal(FieldKind.Check, form.Fields.Single(f => f.Id == "share").Kind);
        var invalid = await chat.SubmitAsync("bea", form, ("load", "9"), ("sleep", "maybe"));
        Assert.Equal(["load", "sleep"], invalid.Errors.Keys.Order());
        Assert.True((await chat.SubmitAsync("bea", form, ("load", "4"), ("sleep", "yes"), ("hurt", "The billing queue alert paged all night"),
            ("share", "false"))).IsAccepted);
        Assert.Contains("That sounds like a hard shift", CoreChat.Text(chat.Updates().Last()));

        // Lee manages Payments: the load shows, the text does not.
        await chat.CommandAsync("lee", "/digest");
        var digest = chat.LastReply("lee");
        Assert.Contains("• Check-ins answered: 1", digest);
        Assert.Contains("• On-call load, 1–5 (median): 4", digest);
        Assert.Contains("• Shifts with sleep interrupted: 1", digest);
        Assert.Contains("1 more person wrote what hurt most and kept it private.", digest);
        Assert.DoesNotContain("billing queue", digest);

        // With the box ticked, managers read it with her name.
        await chat.ClickAsync("bea", CheckInForms.Open, id);
        Assert.True((await chat.SubmitAsync("bea", chat.LastForm("bea"), ("share", "true"))).IsAccepted);
        await chat.CommandAsync("lee", "/digest");
        Assert.Contains("• Bea Okafor: “The billing queue alert paged all night”", chat.LastReply("lee"));
        // Members see the team's summary, never what anyone wrote.
        await chat.CommandAsync("sam", "/digest");
        Assert.DoesNotContain("billing queue", chat.LastReply("sam"));
        Assert.Equal(1, await core.WithDbAsync(db => db.CheckIns.CountAsync()));
    }

    [Fact]
    public async Task ALeadershipChannel_GetsTheDigest_WithoutLoadPerPersonOrWhatPeopleSharedWithTheirManagers()
    {
        await using var core = await CoreHarness.CreateAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Directory:Teams:0:Digests:LeadershipChannels:playground"] = "#leadership",
        });
        var chat = new CoreChat(core);
        await DigestFlowTests.RaiseAsync(chat);
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 5, 0, TimeSpan.Zero));
        await CheckIns(core).RunAsync(CancellationToken.None);
        await chat.ClickAsync("bea", CheckInForms.Open, Value(chat.DirectMessages("bea")[^1], CheckInForms.Open));
        Assert.True((await chat.SubmitAsync("bea", chat.LastForm("bea"), ("load", "4"), ("sleep", "yes"), ("hurt", "The billing queue alert paged all night"),
            ("share", "true"))).IsAccepted);

        // Week 48: Bea's escalation, counted for her in the managers' copy only.
        await Weekly(core).RunAsync("payments", CancellationToken.None);
        await chat.RunDueAsync();
        Assert.Contains("• Bea Okafor: 0 incidents, 1 escalation", CoreChat.Text(Assert.Single(chat.DirectMessages("lee"))));
        var channel = CoreChat.Text(Assert.Single(chat.Posts("#leadership")));
        Assert.Contains("• Escalations raised: 1", channel);
        Assert.DoesNotContain("Bea Okafor", channel);

        // Week 49: Bea shared what hurt with her managers, not with a channel.
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        await Weekly(core).RunAsync("payments", CancellationToken.None);
        await chat.RunDueAsync();
        Assert.Contains("• Bea Okafor: “The billing queue alert paged all night”", LastDigest(chat, "lee"));
        channel = CoreChat.Text(chat.Posts("#leadership")[^1]);
        Assert.Contains("• Check-ins answered: 1", channel);
        Assert.Contains("1 person wrote what hurt most; their managers see it in their own digest.", channel);
        Assert.DoesNotContain("billing queue", channel);
        Assert.DoesNotContain("Bea", channel);
    }

    [Fact]
    public async Task APreview_ShowsTheWeekSoFarWithoutArrows_AndWhatItKeptIsNotReportedAsUnanswered()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await ProposeProductionExperimentAsync(chat);

        // Tuesday: Lee previews the week so far; a part-week is not compared with whole weeks by arrows.
        await chat.CommandAsync("lee", "/digest");
        var preview = chat.LastReply("lee");
        Assert.Contains("• 1 production experiment waits for approval", preview);
        Assert.Contains("• Experiments proposed: 1 (weekly avg 0)", preview);
        Assert.DoesNotContain("↑", preview);
        Assert.DoesNotContain("↓", preview);

        // Approved before the week ends: the week's digest has nothing waiting, and the week after does not list the
        // preview's item as one leadership left unanswered.
        var e = await core.WithDbAsync(db => db.Set<Bot.Core.Features.Experiments.Experiment>().SingleAsync());
        await chat.ClickAsync("lee", Bot.Core.Features.Experiments.ExperimentMessages.Approve, e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        await Weekly(core).RunAsync("payments", CancellationToken.None);
        await chat.RunDueAsync();
        Assert.DoesNotContain("waits for approval", LastDigest(chat, "lee"));
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        await Weekly(core).RunAsync("payments", CancellationToken.None);
        await chat.RunDueAsync();
        var next = LastDigest(chat, "lee");
        Assert.Contains("Culture health: Payments, week 2026-W49", next);
        Assert.DoesNotContain("waits for approval", next);
    }

    [Fact]
    public async Task CheckIn_AHandoffLongAgo_IsNotAskedAbout()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero) + CheckInPrompts.Lookback + TimeSpan.FromMinutes(5));
        await CheckIns(core).RunAsync(CancellationToken.None);
        Assert.Empty(chat.DirectMessages("bea"));
    }

    [Fact]
    public async Task Sponsorship_ManagersAnswerWorthALookItems_TheTeamHears_AndNextWeeksDigestSaysWhatLeadershipDid()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await ProposeProductionExperimentAsync(chat);

        core.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        await Weekly(core).RunAsync("payments", CancellationToken.None);
        await chat.RunDueAsync();
        var digest = Assert.Single(chat.DirectMessages("lee"));
        Assert.Contains("• 1 production experiment waits for approval", CoreChat.Text(digest));
        var item = Value(digest, DigestItems.Sponsor);

        await chat.ClickAsync("kim", DigestItems.Sponsor, item);
        Assert.Contains("Only the team's managers answer its digest items", chat.LastReply("kim"));
        await chat.ClickAsync("kim", DigestItems.List, item);
        Assert.Contains("Only the team's managers", chat.LastReply("kim"));

        await chat.ClickAsync("lee", DigestItems.List, item);
        Assert.Contains("EXP-1 · Canary for config · proposed by Sam Rivera", chat.LastReply("lee"));
        await chat.ClickAsync("lee", DigestItems.Sponsor, item);
        await chat.ClickAsync("lee", DigestItems.Sponsor, item);
        Assert.Contains("Already recorded", chat.LastReply("lee"));
        var heard = chat.Posts("#payments").Where(m => CoreChat.Text(m).Contains("Lee Chen is sponsoring this")).ToArray();
        Assert.Single(heard);
        await chat.ClickAsync("lee", DigestItems.Seen, item);

        core.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        await Weekly(core).RunAsync("payments", CancellationToken.None);
        await chat.RunDueAsync();
        var next = LastDigest(chat, "lee");
        Assert.Contains("What leadership did with last week's items", next);
        Assert.Contains("waits for approval by a sponsor or a manager. — sponsored by Lee Chen; seen by Lee Chen", next);
    }
}

public abstract class Ops03ReportTests(TestProvider provider)
{
    [Fact]
    public async Task Ops03_ManagersGetTheQuartersEvidenceAsASignedLink_WithRiskNotesWhereItIsThin_OthersAreTurnedAway()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.CommandAsync("ana", "/escalate checkout is slow");
        Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), ("summary", "Checkout is slow"), ("service", "checkout"), ("impact", "Degraded"))).IsAccepted);
        await chat.RunDueAsync();
        // A week later the escalation is in the last full quarter.
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

        await chat.CommandAsync("kim", "/digest ops03");
        Assert.Contains("The OPS03 evidence report is for a team's managers", chat.LastReply("kim"));

        await chat.CommandAsync("lee", "/digest ops03");
        var reply = core.Channel.Of(nameof(IChatChannel.ReplyPrivatelyAsync)).Last(c => c.To == "lee").Message!;
        Assert.Contains("OPS03 evidence for Payments*, 31 Aug 2026 – 29 Nov 2026", CoreChat.Text(reply));
        var download = reply.Blocks.OfType<ButtonsBlock>().Single().Buttons.Single();
        var link = download.Url!;
        Assert.StartsWith("https://bot.example.com/links/ops03/payments/", link);
        // Slack reports a click on a link button too: the page opened, and the bot says nothing more.
        var replies = core.Channel.Of(nameof(IChatChannel.ReplyPrivatelyAsync)).Count();
        await chat.ClickAsync("lee", download.ActionId, download.Value);
        Assert.Equal(replies, core.Channel.Of(nameof(IChatChannel.ReplyPrivatelyAsync)).Count());

        var team = await core.WithDbAsync(db => db.Teams.SingleAsync(t => t.Key == "payments"));
        var report = await core.WithDbAsync(db => Ops03Report.MarkdownAsync(db, team, Ops03Report.Quarter(core.Clock.GetUtcNow(), team.TimeZone), CancellationToken.None));
        foreach (var bp in new[] { "BP01 Provide executive sponsorship", "BP02 Team members are empowered", "BP03 Escalation is encouraged",
                     "BP04 Communications are timely", "BP05 Experimentation is encouraged", "BP06 Team members are encouraged to maintain",
                     "BP07 Resource teams appropriately" })
            Assert.Contains("## OPS03-" + bp, report);
        Assert.Contains("- Escalations raised: 1, by 1 people", report);
        Assert.Contains("> **Risk:** no digest reached a manager this quarter", report);
        Assert.Contains("> **Risk:** fewer than two people escalated this quarter", report);
        Assert.Contains("> **Risk:** no improvement experiments were proposed this quarter.", report);
    }
}

public sealed class Ops03ReportOnSqlite() : Ops03ReportTests(TestProvider.Sqlite);

public sealed class Ops03ReportOnPostgres() : Ops03ReportTests(TestProvider.Postgres);

public abstract class DigestListTests(TestProvider provider)
{
    [Fact]
    public async Task ShowTheList_ForARisingMttr_ListsThatWeeksSlowestRecoveries()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var slow = await chat.IncidentAsync(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 11, 10, 0, TimeSpan.Zero));
        var quick = await chat.IncidentAsync(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 9, 20, 0, TimeSpan.Zero));
        var week = DigestWeeks.Containing(core.Clock.GetUtcNow(), "Europe/Berlin");
        Assert.Equal(week, DigestWeeks.FromKey(week.Key("Europe/Berlin"), "Europe/Berlin"));
        var items = await core.WithDbAsync(db => DigestItems.SaveAsync(db, "payments", week.Key("Europe/Berlin"),
            [new WorthItem(DigestItems.Mttr, "MTTR rose to 75 min from an average of 30: worth asking what slowed recovery.")], core.Clock.GetUtcNow(), CancellationToken.None));

        await chat.ClickAsync("lee", DigestItems.List, items[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var list = chat.LastReply("lee");
        Assert.Contains($"• INC-{slow} · Checkout 500s · recovered in 2 h 10 min\n• INC-{quick} · Checkout 500s · recovered in 20 min", list);
    }
}

public sealed class DigestListOnSqlite() : DigestListTests(TestProvider.Sqlite);

public sealed class DigestListOnPostgres() : DigestListTests(TestProvider.Postgres);

public sealed class CheckInAndSponsorshipOnSqlite() : CheckInAndSponsorshipTests(TestProvider.Sqlite);

public sealed class CheckInAndSponsorshipOnPostgres() : CheckInAndSponsorshipTests(TestProvider.Postgres);

public sealed class DigestFlowOnSqlite() : DigestFlowTests(TestProvider.Sqlite);

public sealed class DigestFlowOnPostgres() : DigestFlowTests(TestProvider.Postgres);
