using Bot.Core.Scheduling;
using Hangfire;

namespace Bot.Host.Scheduling;

/// <summary>The Hangfire job of every reminder: it carries a reminder id and asks Core to claim and perform it. Safe to run twice.</summary>
public sealed class ReminderJob(ReminderRunner runner)
{
    [AutomaticRetry(Attempts = 10)]
    [JobDisplayName("Reminder {0}")]
    public Task RunAsync(long reminderId, CancellationToken cancellationToken) => runner.RunAsync(reminderId, cancellationToken);

    /// <summary>A reminder that gave up, tried again from the dashboard (its Requeue button): from its first attempt.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Reminder {0}, given up")]
    public async Task RetryGivenUpAsync(long reminderId, CancellationToken cancellationToken)
    {
        if (await runner.RetryGivenUpAsync(reminderId, cancellationToken)) await runner.RunAsync(reminderId, cancellationToken);
    }
}
