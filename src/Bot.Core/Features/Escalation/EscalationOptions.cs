namespace Bot.Core.Features.Escalation;

/// <summary>The <c>Escalation</c> section: how long an escalation may wait for an acknowledgement, unless its team says otherwise.</summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalation";

    public AckTimeouts DefaultAckTimeouts { get; set; } = new();

    public TimeSpan AckTimeout(EscalationTeamSettings team, Urgency urgency) => urgency switch
    {
        Urgency.Now => team.AckTimeouts.Now ?? DefaultAckTimeouts.Now ?? TimeSpan.FromMinutes(5),
        Urgency.WithinHour => team.AckTimeouts.WithinHour ?? DefaultAckTimeouts.WithinHour ?? TimeSpan.FromMinutes(30),
        _ => team.AckTimeouts.Today ?? DefaultAckTimeouts.Today ?? TimeSpan.FromHours(4),
    };
}
