namespace Bot.Core.Features.Experiments;

/// <summary>The words people see for an experiment's choices, shared by the form and the messages.</summary>
public static class ExperimentText
{
    public static readonly IReadOnlyList<(ExperimentKind Value, string Label)> Kinds =
    [
        (ExperimentKind.Process, "Process"),
        (ExperimentKind.Tooling, "Tooling"),
        (ExperimentKind.Architecture, "Architecture"),
        (ExperimentKind.GameDay, "Game day / chaos"),
    ];

    public static readonly IReadOnlyList<(BlastRadius Value, string Label)> Radii =
    [
        (BlastRadius.TeamOnly, "Team only"),
        (BlastRadius.NonProduction, "Non-production"),
        (BlastRadius.LimitedProduction, "Limited production"),
        (BlastRadius.FullProduction, "Full production"),
    ];

    public static readonly IReadOnlyList<(ExperimentOutcome Value, string Label)> Outcomes =
    [
        (ExperimentOutcome.Adopt, "Adopt: it worked, scale it"),
        (ExperimentOutcome.Iterate, "Iterate: promising, try again changed"),
        (ExperimentOutcome.Abandon, "Abandon: it did not work, and that is worth knowing"),
    ];

    public static string Label(ExperimentKind kind) => Kinds.First(k => k.Value == kind).Label;

    public static string Label(BlastRadius radius) => Radii.First(r => r.Value == radius).Label;

    public static string Label(ExperimentOutcome outcome) => Outcomes.First(o => o.Value == outcome).Label.Split(':')[0];

    public static string Label(ExperimentStatus status) => status switch
    {
        ExperimentStatus.Proposed => "Proposed · waiting for approval",
        ExperimentStatus.ChangesRequested => "Changes requested",
        ExperimentStatus.Approved => "Approved",
        ExperimentStatus.Running => "Running",
        ExperimentStatus.Concluded => "Concluded",
        ExperimentStatus.Published => "Results published",
        _ => "Withdrawn",
    };

    public static string Day(DateOnly day) => day.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
