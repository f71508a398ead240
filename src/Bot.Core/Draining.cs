namespace Bot.Core;

/// <summary>Order of a graceful shutdown: what takes work in stops first, then what runs it, then what was scheduled.</summary>
public enum DrainStage
{
    Intake = 0,
    Work = 1,
    Scheduled = 2,
}

/// <summary>
/// A part of the host that, when the host is asked to stop, stops taking new work and finishes or hands back what it
/// holds, while the host still answers its health probes (ready: 503). Called once, stage by stage, within the host's
/// shutdown timeout; a part still busy when the token fires stops there, and what it held is handed back by its claims.
/// </summary>
public interface IDrainOnShutdown
{
    DrainStage Stage { get; }

    Task DrainAsync(CancellationToken cancellationToken);
}
