using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Scheduling;
using Bot.Core.Tests.Features;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Tests.Scheduling;

public sealed class UnreachableChannelTests
{
    [Fact]
    public async Task ATeamChannelTheBotCannotReach_ItsManagersAreToldDirectly_OnceADay()
    {
        await using var core = await CoreHarness.CreateAsync();
        var chat = new CoreChat(core);
        // The bot was removed from #payments: every post there is refused for good; direct messages still arrive.
        core.Channel.WhilePosting = _ => throw new ChannelUnavailableException("channel_not_found");

        for (var i = 0; i < 2; i++)
        {
            await chat.CommandAsync("ana", "/escalate checkout is slow");
            Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), ("summary", "Checkout is slow " + i), ("service", "checkout"), ("impact", "Degraded"))).IsAccepted);
            await chat.RunDueAsync();
        }

        var failed = await core.WithDbAsync(db => db.Reminders.Where(r => r.Status == ReminderStatus.Failed).Select(r => r.LastError).ToListAsync());
        Assert.Equal(2, failed.Count);
        // Lee manages Payments: one notice for both refused posts, naming the channel and what the platform said.
        var notice = Assert.Single(chat.DirectMessages("lee"), m => CoreChat.Text(m).Contains("I cannot post"));
        var text = CoreChat.Text(notice);
        Assert.Contains("Payments", text);
        Assert.Contains("#payments", text);
        Assert.Contains("channel_not_found", text);
        Assert.DoesNotContain(chat.DirectMessages("ana"), m => CoreChat.Text(m).Contains("I cannot post"));

        // The next day, a refused post tells them again.
        core.Clock.Advance(TimeSpan.FromDays(1));
        await chat.CommandAsync("ana", "/escalate checkout is slow");
        Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), ("summary", "Checkout is slow again"), ("service", "checkout"), ("impact", "Degraded"))).IsAccepted);
        await chat.RunDueAsync();
        Assert.Equal(2, chat.DirectMessages("lee").Count(m => CoreChat.Text(m).Contains("I cannot post")));
    }

    [Fact]
    public void TheNotice_ShowsWhatPeopleAndToolsWrote_AsWritten()
    {
        var team = new Team { Key = "payments", Name = "Payments " + SampleMessages.Hostile };
        var message = UnreachableChannels.Message(team, new UnreachableChannels.NoticeArgs("payments", "slack", "C0PAYMENTS", SampleMessages.Hostile));
        var text = Testing.Conformance.SeenMessage.ReadableText(message);
        Assert.Contains("Payments " + SampleMessages.Hostile, text);
        Assert.Contains("The platform answered: " + SampleMessages.Hostile, text);
    }
}
