using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bot.Core.Telemetry;

/// <summary>The bot's own traces and metrics; the host exports them with OpenTelemetry.</summary>
public static class BotTelemetry
{
    public const string Name = "Bot";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> CommandsHandled = Meter.CreateCounter<long>("bot.commands", description: "Commands handled, by command");
    public static readonly Counter<long> EscalationsRaised = Meter.CreateCounter<long>("bot.escalations.raised", description: "Escalations raised, by team and urgency");
    public static readonly Counter<long> Reescalations = Meter.CreateCounter<long>("bot.escalations.reescalated", description: "Re-escalations after an acknowledgement timeout");
    public static readonly Histogram<double> TimeToAcknowledge = Meter.CreateHistogram<double>("bot.escalations.time_to_ack", unit: "s", description: "Seconds from raising to acknowledgement");
    public static readonly Counter<long> RemindersPerformed = Meter.CreateCounter<long>("bot.reminders.performed", description: "Reminders performed, by kind");
    public static readonly Counter<long> RemindersGaveUp = Meter.CreateCounter<long>("bot.reminders.gave_up", description: "Reminders given up (refused for good, or out of attempts), by kind");
}
