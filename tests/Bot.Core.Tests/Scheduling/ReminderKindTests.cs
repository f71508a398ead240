using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;

namespace Bot.Core.Tests.Scheduling;

public sealed class ReminderKindTests
{
    [Fact]
    public void TypedArguments_RoundTrip_AndArgumentsStoredBeforeTheyWereTyped_StillRead()
    {
        var page = EscalationReminders.Page;
        var written = page.Write(new EscalationReminders.PageArgs(2, "raj:ops"));
        Assert.Equal(new EscalationReminders.PageArgs(2, "raj:ops"), page.Read(new Reminder { Argument = written }));
        Assert.Equal(new EscalationReminders.PageArgs(1, "raj"), page.Read(new Reminder { Argument = "1:raj" }));
        Assert.Equal(new EscalationReminders.LevelArgs(3), EscalationReminders.AckTimeout.Read(new Reminder { Argument = "3" }));
        Assert.Throws<InvalidOperationException>(() => page.Read(new Reminder { Id = 5 }));
    }
}
