using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Bot.Testing.Conformance;

/// <summary>
/// /escalate in any channel. At <see cref="BotAppFactory.DefaultStart"/> Payments has Bea as primary on-call,
/// Kim as secondary and Lee as manager (see appsettings.example.json); Ana (Platform) asks for help.
/// </summary>
[FeatureScenarios]
public static class EscalationScenarios
{
    public static Dictionary<string, string?> ValidForm() => new()
    {
        ["summary"] = "Checkout fails for card payments",
        ["service"] = "checkout",
        ["impact"] = nameof(CustomerImpact.AffectedNow),
        ["urgency"] = nameof(Urgency.Now),
        ["tried"] = "Restarted the pods",
        ["team"] = "",
    };

    /// <summary>Ana raises a valid escalation; returns the team channel message once it is there.</summary>
    public static async Task<SeenMessage> RaiseAsync(ScenarioContext s)
    {
        await s.Driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await s.Driver.FormAsync("ana", EscalationForms.RaiseId);
        var outcome = await s.Driver.SubmitAsync("ana", form, ValidForm());
        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("Checkout fails for card payments"), "the escalation in #payments");
    }

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("Escalate_FromAMessage_PrefilledForm_CardLinksBack_TheThreadHearsOnce", async s =>
        {
            await s.Driver.InstallAsync();
            const string text = "Is checkout slow for anyone? p99 is 4 s & rising";
            // The playground has no message actions: nothing to run there.
            if (!await s.Driver.MessageActionAsync("ana", "escalate", text)) return;
            var form = await s.Driver.FormAsync("ana", EscalationForms.RaiseId);
            Assert.Equal(text, form.Field("summary").Initial);
            var values = ValidForm();
            values["summary"] = text;
            var outcome = await s.Driver.SubmitAsync("ana", form, values);
            Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {e.Value}")));
            var card = await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains(text), "the escalation in #payments");
            Assert.Contains(card.Buttons, b => b.Label == "Original message" && b.Url is { Length: > 0 });
            await Eventually.TrueAsync(async () => (await s.Driver.ThreadRepliesAsync()).Count > 0, "the reply in the message's thread");
            await s.PassTimeAsync(TimeSpan.FromMinutes(1));
            var reply = Assert.Single(await s.Driver.ThreadRepliesAsync());
            Assert.Contains("for help about this message", reply.Text);
            Assert.Contains("Payments", reply.Text);
        }),
        new("Escalate_HostileText_IsShownAsWritten_InTheCardAndThePage", async s =>
        {
            // What people write is shown as written: in Slack no channel-wide ping or disguised link, in Teams no link.
            await s.Driver.CommandAsync("ana", "/escalate x");
            var form = await s.Driver.FormAsync("ana", EscalationForms.RaiseId);
            var values = ValidForm();
            values["summary"] = "Checkout " + SampleMessages.Hostile;
            values["tried"] = SampleMessages.Hostile;
            var outcome = await s.Driver.SubmitAsync("ana", form, values);
            Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {e.Value}")));
            var card = await s.Driver.TeamMessageAsync("payments", m => m.Text.Contains("Checkout <!channel>"), "the escalation in #payments");
            Assert.True(card.Text.Contains(SampleMessages.Hostile), card.Text);
            var page = await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("Checkout <!channel>"), "Bea's page");
            Assert.Contains(SampleMessages.Hostile, page.Text);
        }),
        new("Escalate_OpensPrefilledForm", async s =>
        {
            await s.Driver.CommandAsync("ana", "/escalate checkout is failing");
            var form = await s.Driver.FormAsync("ana", EscalationForms.RaiseId);
            Assert.Equal("checkout is failing", form.Field("summary").Initial);
            Assert.True(form.Field("summary").Required);
            Assert.Equal("checkout", form.Field("service").Initial);
            Assert.Equal(["AffectedNow", "Degraded", "AtRisk", "InternalOnly"], form.Field("impact").Options!.Select(o => o.Value));
            Assert.Equal(["Now", "WithinHour", "Today"], form.Field("urgency").Options!.Select(o => o.Value));
            Assert.Contains(form.Form.Fields, f => f.Id == "tried");
            Assert.Contains(form.Form.Fields, f => f.Id == "team");
        }),
        new("Escalate_PostsToTeamChannel_PagesOnCall_ThanksRaiser", async s =>
        {
            var posted = await RaiseAsync(s);
            Assert.Contains("Escalation #", posted.Text);
            Assert.Contains("Service: Checkout", posted.Text);
            Assert.Contains("Customer impact: Customers affected now", posted.Text);
            Assert.Contains("Urgency: Now", posted.Text);
            Assert.Contains("Raised by: Ana Souza", posted.Text);
            Assert.Contains("Restarted the pods", posted.Text);
            Assert.Contains("Paging Primary on-call (Bea Okafor)", posted.Text);
            Assert.Equal([EscalationMessages.Acknowledge, EscalationMessages.Join, EscalationMessages.Resolve], posted.Buttons.Select(b => b.ActionId));

            var page = await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("You're paged"), "the page to Bea");
            Assert.Contains("Primary on-call", page.Text);
            // A direct message, not an ephemeral answer: it can be found again after a crash, so it is never sent twice.
            await s.Driver.DirectMessageAsync("ana", m => m.Text.Contains("Thanks for raising"), "thanks to Ana");
            Assert.Empty(await s.Driver.DirectMessagesAsync("kim"));

            var stored = await s.DbAsync(db => db.Escalations.Include(e => e.Timeline).SingleAsync());
            Assert.Equal("payments", stored.TeamKey);
            Assert.Equal(EscalationStatus.Open, stored.Status);
            Assert.Equal("ana", stored.RaisedByKey);
            Assert.Equal(s.Driver.Channel, stored.Channel);
            await Eventually.TrueAsync(async () => (await s.DbAsync(db => db.EscalationEvents.Select(e => e.Kind).ToListAsync()))
                .ToHashSet().IsSupersetOf([EscalationEventKind.Raised, EscalationEventKind.Posted, EscalationEventKind.Paged]), "the timeline");
        }),
        new("Escalate_EmptyRequiredField_ShowsErrorBesideIt_AndStoresNothing", async s =>
        {
            await s.Driver.CommandAsync("ana", "/escalate");
            var form = await s.Driver.FormAsync("ana", EscalationForms.RaiseId);
            var values = ValidForm();
            values["summary"] = "   ";
            var outcome = await s.Driver.SubmitAsync("ana", form, values);
            Assert.False(outcome.Accepted);
            Assert.Equal(["summary"], outcome.Errors.Keys);
            Assert.Equal(0, await s.DbAsync(db => db.Escalations.CountAsync()));
            Assert.Equal(0, await s.DbAsync(db => db.Reminders.CountAsync()));
            Assert.Empty(await s.Driver.TeamMessagesAsync("payments"));

            var again = await s.Driver.FormAsync("ana", EscalationForms.RaiseId);
            Assert.NotNull(again.Field("summary").Error);
        }),
        new("Acknowledge_UpdatesTeamMessage_AndCancelsReescalation", async s =>
        {
            var posted = await RaiseAsync(s);
            await s.Driver.ClickAsync("bea", posted, EscalationMessages.Acknowledge);
            var updated = await s.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Acknowledged by Bea Okafor"), "the acknowledged message");
            Assert.DoesNotContain(updated.Buttons, b => b.ActionId == EscalationMessages.Acknowledge);

            await s.PassTimeAsync(TimeSpan.FromHours(5));
            Assert.Empty(await s.Driver.DirectMessagesAsync("kim"));
            var stored = await s.DbAsync(db => db.Escalations.SingleAsync());
            Assert.Equal(EscalationStatus.Acknowledged, stored.Status);
            Assert.Equal("bea", stored.AcknowledgedByKey);
            Assert.Equal(0, stored.Level);
            Assert.Equal(ReminderStatus.Cancelled,
                await s.DbAsync(db => db.Reminders.Where(r => r.Kind == EscalationReminders.AckTimeout).Select(r => r.Status).SingleAsync()));
        }),
        new("Unacknowledged_ReescalatesToSecondary_ThenManagers", async s =>
        {
            var posted = await RaiseAsync(s);
            await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("You're paged"), "the page to Bea");

            await s.PassTimeAsync(TimeSpan.FromHours(5));
            await s.Driver.DirectMessageAsync("kim", m => m.Text.Contains("Secondary on-call"), "the re-escalation to Kim");
            await s.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Re-escalated to Secondary on-call (Kim Laine)"), "the channel update");

            await s.PassTimeAsync(TimeSpan.FromHours(5));
            await s.Driver.DirectMessageAsync("lee", m => m.Text.Contains("Managers"), "the re-escalation to Lee");
            await s.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Re-escalated to Managers (Lee Chen)"), "the second channel update");

            var kinds = await s.DbAsync(db => db.EscalationEvents.Where(e => e.Kind == EscalationEventKind.Reescalated).CountAsync());
            Assert.Equal(2, kinds);
            Assert.Single(await s.Driver.DirectMessagesAsync("kim"));
        }),
        new("Resolve_NeedsOneLineOutcome_ThenClosesTheEscalation", async s =>
        {
            var posted = await RaiseAsync(s);
            await s.Driver.ClickAsync("bea", posted, EscalationMessages.Resolve);
            var form = await s.Driver.FormAsync("bea", EscalationForms.ResolveId);
            var empty = await s.Driver.SubmitAsync("bea", form, new Dictionary<string, string?> { ["outcome"] = "" });
            Assert.False(empty.Accepted);
            Assert.Contains("outcome", empty.Errors.Keys);
            Assert.Equal(EscalationStatus.Open, (await s.DbAsync(db => db.Escalations.SingleAsync())).Status);

            form = await s.Driver.FormAsync("bea", EscalationForms.ResolveId);
            var done = await s.Driver.SubmitAsync("bea", form, new Dictionary<string, string?> { ["outcome"] = "Rolled back release 42" });
            Assert.True(done.Accepted);
            var resolved = await s.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Rolled back release 42"), "the resolved message");
            Assert.Contains("Resolved", resolved.Text);
            Assert.Empty(resolved.Buttons);
            var stored = await s.DbAsync(db => db.Escalations.SingleAsync());
            Assert.Equal(EscalationStatus.Resolved, stored.Status);
            Assert.Equal("Rolled back release 42", stored.Outcome);
        }),
        new("Join_ShowsResponderOnTheMessage", async s =>
        {
            var posted = await RaiseAsync(s);
            await s.Driver.ClickAsync("kim", posted, EscalationMessages.Join);
            await s.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Responding: Kim Laine"), "the responder");
            Assert.Equal(EscalationStatus.Open, (await s.DbAsync(db => db.Escalations.SingleAsync())).Status);
        }),
        new("AcknowledgeTwice_SecondClickIsTold_NothingChanges", async s =>
        {
            await RaiseAsync(s);
            var page = await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("You're paged"), "the page to Bea");
            await s.Driver.ClickAsync("bea", page, EscalationMessages.Acknowledge);
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("You acknowledged"), "the acknowledgement reply");
            await s.Driver.ClickAsync("bea", page, EscalationMessages.Acknowledge);
            await s.Driver.PrivateReplyAsync("bea", m => m.Text.Contains("already acknowledged by Bea Okafor"), "the second reply");
            Assert.Single(await s.DbAsync(db => db.EscalationEvents.Where(e => e.Kind == EscalationEventKind.Acknowledged).ToListAsync()));
        }),
    ];
}
