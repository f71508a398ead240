using System.Globalization;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Tests.Features.Escalation;

/// <summary>
/// A button's value names the record, and the client sends it back: who pressed it is checked on the server. Decisions
/// recorded as someone's are for people in the directory; starting an incident is for the team and whoever raised it.
/// </summary>
public abstract class EscalationRightsTests(TestProvider provider)
{
    private static async Task<long> RaiseAsync(CoreChat chat, string who = "ana")
    {
        await chat.CommandAsync(who, "/escalate checkout is failing");
        Assert.True((await chat.SubmitAsync(who, chat.LastForm(who), EscalationScenarios.ValidForm().Select(x => (x.Key, x.Value)).ToArray())).IsAccepted);
        await chat.RunDueAsync();
        return await chat.Core.WithDbAsync(db => db.Escalations.Select(e => e.Id).SingleAsync());
    }

    [Fact]
    public async Task SomeoneNotInTheDirectory_CannotAcknowledgeOrResolve_ButMayJoin()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var id = (await RaiseAsync(chat)).ToString(CultureInfo.InvariantCulture);

        await chat.ClickAsync("U0GUEST", EscalationMessages.Acknowledge, id);
        Assert.Contains("not in the bot's directory", chat.LastReply("U0GUEST"));
        await chat.ClickAsync("U0GUEST", EscalationMessages.Resolve, id);
        Assert.Contains("not in the bot's directory", chat.LastReply("U0GUEST"));
        // A resolve form sent without the button (or kept from before) is checked as well.
        Assert.True((await chat.SubmitAsync("U0GUEST", EscalationForms.Resolve(await core.WithDbAsync(db => db.Escalations.SingleAsync())),
            ("outcome", "Restarted the pods"), ("kind", nameof(EscalationOutcome.Fixed)))).IsAccepted);
        var stored = await core.WithDbAsync(db => db.Escalations.SingleAsync());
        Assert.Equal((EscalationStatus.Open, (string?)null), (stored.Status, stored.AcknowledgedByName));

        await chat.ClickAsync("U0GUEST", EscalationMessages.Join, id);
        Assert.Contains("You joined", chat.LastReply("U0GUEST"));
        await chat.ClickAsync("bea", EscalationMessages.Acknowledge, id);
        Assert.Equal("Bea Okafor", (await core.WithDbAsync(db => db.Escalations.SingleAsync())).AcknowledgedByName);
    }

    [Fact]
    public async Task AnIncident_IsStartedOnlyByTheTeamOrWhoeverRaisedIt()
    {
        await using var core = await CoreHarness.CreateAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Directory:Teams:0:Incidents:ResponsePlanArn"] = "arn:aws:ssm-incidents::111122223333:response-plan/payments",
        });
        var chat = new CoreChat(core);
        var id = (await RaiseAsync(chat, "sam")).ToString(CultureInfo.InvariantCulture);

        // Raj is on Platform: he can join, not page Payments' response plan.
        await chat.ClickAsync("raj", EscalationMessages.StartIncident, id);
        Assert.Contains("Only Payments, or whoever raised", chat.LastReply("raj"));
        Assert.Null((await core.WithDbAsync(db => db.Escalations.SingleAsync())).IncidentRequestedAt);
    }
}

public sealed class EscalationRightsOnSqlite() : EscalationRightsTests(TestProvider.Sqlite);

public sealed class EscalationRightsOnPostgres() : EscalationRightsTests(TestProvider.Postgres);
