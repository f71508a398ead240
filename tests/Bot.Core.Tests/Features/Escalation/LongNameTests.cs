using Bot.Core.Conversation;
using Bot.Core.Features.Escalation;
using Bot.Core.Flows;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Features.Escalation;

/// <summary>Teams allows display names of 256 characters; every column that stores a name takes them, on both databases.</summary>
public abstract class LongNameTests(TestProvider provider)
{
    [Fact]
    public void ADisplayName_IsCutOnce_WhereThePlatformHandsItOver()
    {
        var actor = new Actor("29:guest", new string('n', 256));
        Assert.Equal(Actor.MaxName, actor.DisplayName.Length);
        Assert.Equal(actor.DisplayName, (actor with { PersonKey = "x" }).DisplayName);
    }

    [Fact]
    public async Task SomeoneWithA256CharacterName_CanEscalate_AndItIsStored()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var guest = new Interaction("playground", new Actor("guest-256", "Dr. " + new string('é', 252)), new ConversationAddress("playground", "#general"));
        await using (var scope = core.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleCommandAsync(guest, Command.Parse("/escalate checkout is down")!, CancellationToken.None);
        var form = core.Channel.Of(nameof(IChatChannel.OpenFormAsync)).Last().Form!;
        var values = form.Fields.ToDictionary(f => f.Id, f => f.Initial);
        values["summary"] = "Checkout is down";
        values["service"] = "checkout";
        values["impact"] = nameof(CustomerImpact.AffectedNow);
        values["urgency"] = nameof(Urgency.Now);
        FormResult result;
        await using (var scope = core.Services.CreateAsyncScope())
            result = await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleSubmissionAsync(guest, new FormSubmission(form.FormId, values, form.PrivateState),
                CancellationToken.None);
        Assert.True(result.IsAccepted && !result.Failed);
        var stored = await core.WithDbAsync(db => db.Escalations.SingleAsync());
        Assert.Equal(Actor.MaxName, stored.RaisedByName.Length);
    }
}

public sealed class LongNameOnSqlite() : LongNameTests(TestProvider.Sqlite);

public sealed class LongNameOnPostgres() : LongNameTests(TestProvider.Postgres);
