namespace Bot.Core.Features.Escalation;

/// <summary>The words people see for the escalation's choices, shared by the form and the messages.</summary>
public static class EscalationText
{
    public static readonly IReadOnlyList<(CustomerImpact Value, string Label)> Impacts =
    [
        (CustomerImpact.AffectedNow, "Customers affected now"),
        (CustomerImpact.Degraded, "Customers see a degraded service"),
        (CustomerImpact.AtRisk, "Customers at risk"),
        (CustomerImpact.InternalOnly, "Internal only"),
    ];

    public static readonly IReadOnlyList<(Urgency Value, string Label)> Urgencies =
    [
        (Urgency.Now, "Now"),
        (Urgency.WithinHour, "Within the hour"),
        (Urgency.Today, "Today"),
    ];

    public static readonly IReadOnlyList<(EscalationOutcome Value, string Label)> Outcomes =
    [
        (EscalationOutcome.Fixed, "Fixed"),
        (EscalationOutcome.FalseAlarm, "False alarm — still the right call"),
        (EscalationOutcome.HandedOver, "Handed to another team"),
        (EscalationOutcome.NeedsReview, "Needs a review"),
    ];

    public static string Label(EscalationOutcome outcome) => Outcomes.First(o => o.Value == outcome).Label;

    public static string Label(CustomerImpact impact) => Impacts.First(i => i.Value == impact).Label;

    public static string Label(Urgency urgency) => Urgencies.First(u => u.Value == urgency).Label;
}
