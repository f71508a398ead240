using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;

namespace Bot.Core.Tests.Features.Escalation;

public sealed class EscalationRulesTests
{
    [Fact]
    public void AckTimeout_TeamOverrideWins_ThenConfiguredDefault_ThenBuiltIn()
    {
        var options = new EscalationOptions { DefaultAckTimeouts = new AckTimeouts { WithinHour = TimeSpan.FromMinutes(20) } };
        var team = new EscalationTeamSettings { AckTimeouts = new AckTimeouts { Today = TimeSpan.FromHours(8) } };
        Assert.Equal(TimeSpan.FromMinutes(5), options.AckTimeout(team, Urgency.Now));
        Assert.Equal(TimeSpan.FromMinutes(20), options.AckTimeout(team, Urgency.WithinHour));
        Assert.Equal(TimeSpan.FromHours(8), options.AckTimeout(team, Urgency.Today));
    }

    [Theory]
    [InlineData(30, "30 s")]
    [InlineData(300, "5 min")]
    [InlineData(330, "5 min 30 s")]
    [InlineData(14400, "4 h")]
    [InlineData(5400, "1 h 30 min")]
    [InlineData(93600, "1 d 2 h")]
    [InlineData(172800, "2 d")]
    public void Durations_ReadNaturally(int seconds, string text) =>
        Assert.Equal(text, Durations.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void RaiseForm_GuessesTheServiceFromTheText_AndCapsTheSummary()
    {
        var services = new[] { new Service { Key = "checkout", Name = "Checkout", TeamKey = "payments" }, new Service { Key = "ci", Name = "CI pipelines", TeamKey = "platform" } };
        var teams = new[] { new Team { Key = "payments", Name = "Payments" } };
        Assert.Equal("checkout", EscalationForms.Raise("Checkout is failing", services, teams).Fields.Single(f => f.Id == "service").Initial);
        Assert.Null(EscalationForms.Raise("something odd", services, teams).Fields.Single(f => f.Id == "service").Initial);
        Assert.Equal(EscalationForms.SummaryMax, EscalationForms.Raise(new string('x', 5000), services, teams).Fields[0].Initial!.Length);
    }
}
