using Bot.Core.Scheduling;
using Hangfire;

namespace Bot.Host.Scheduling;

/// <summary>The Hangfire job of every reminder: it carries a reminder id and asks Core to claim and perform it. Safe to run twice.</summary>
public sealed class ReminderJob(ReminderRunner runner)
{
    [AutomaticRetry(Attempts = 10)]
    [JobDisplayName("Reminder {0}")]
    public Task RunAsync(long reminderId, CancellationToken cancellationToken) => runner.RunAsync(reminderId, cancellationToken);
}
