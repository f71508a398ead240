using Bot.Core.Directory;

namespace Bot.Core.Features.Escalation;

/// <summary>
/// A team's escalation settings, under <c>Directory:Teams:N:Escalation</c>. <c>EscalationPath</c> and <c>AckTimeouts</c>
/// directly under the team, where they were before, still work.
/// </summary>
public sealed class EscalationTeamSettings : ITeamSettings
{
    public const string Section = "Escalation";

    /// <summary>Who is asked, level by level, until someone acknowledges; primary on-call, secondary, then managers when not set.</summary>
    public List<EscalationLevel> EscalationPath { get; set; } = [];

    public AckTimeouts AckTimeouts { get; set; } = new();

    public IReadOnlyList<EscalationLevel> Path => EscalationPath.Count > 0 ? EscalationPath : DefaultPath;

    private static readonly IReadOnlyList<EscalationLevel> DefaultPath =
    [
        new() { Name = "Primary on-call", Notify = EscalationTarget.PrimaryOnCall },
        new() { Name = "Secondary on-call", Notify = EscalationTarget.SecondaryOnCall },
        new() { Name = "Managers", Notify = EscalationTarget.Managers },
    ];

    public IEnumerable<string> Validate(string path, IReadOnlySet<string> people)
    {
        for (var l = 0; l < EscalationPath.Count; l++)
        {
            var level = EscalationPath[l];
            if (level.Notify == EscalationTarget.People && level.People.Count == 0)
                yield return $"{path}:EscalationPath:{l}:People must name someone when Notify is People";
            for (var p = 0; p < level.People.Count; p++)
            {
                if (!people.Contains(level.People[p])) yield return $"{path}:EscalationPath:{l}:People:{p} '{level.People[p]}' is not in Directory:People";
            }
        }
        foreach (var (label, value) in new[] { ("Now", AckTimeouts.Now), ("WithinHour", AckTimeouts.WithinHour), ("Today", AckTimeouts.Today) })
        {
            if (value is { } v && v <= TimeSpan.Zero) yield return $"{path}:AckTimeouts:{label} must be positive";
        }
    }

    /// <summary>Person keys a level of the path reaches right now.</summary>
    public static IReadOnlyList<string> Targets(Team team, EscalationLevel level, DateTimeOffset now)
    {
        var shift = OnCallSchedule.At(team, now);
        IEnumerable<string?> keys = level.Notify switch
        {
            EscalationTarget.PrimaryOnCall => new[] { shift.Primary },
            EscalationTarget.SecondaryOnCall => new[] { shift.Secondary },
            EscalationTarget.Managers => team.Managers,
            EscalationTarget.People => level.People,
            _ => Array.Empty<string?>(),
        };
        return keys.OfType<string>().Distinct().ToArray();
    }
}

public enum EscalationTarget { PrimaryOnCall, SecondaryOnCall, Managers, People }

public sealed class EscalationLevel
{
    public string Name { get; set; } = "";
    public EscalationTarget Notify { get; set; }

    /// <summary>Person keys, when <see cref="Notify"/> is <see cref="EscalationTarget.People"/>.</summary>
    public List<string> People { get; set; } = [];
}

/// <summary>Per-team override of how long an escalation may wait for an acknowledgement, by urgency.</summary>
public sealed class AckTimeouts
{
    public TimeSpan? Now { get; set; }
    public TimeSpan? WithinHour { get; set; }
    public TimeSpan? Today { get; set; }
}
