using Bot.Core.Scheduling;
using Hangfire;

namespace Bot.Host.Scheduling;

/// <summary>The only Hangfire job: it carries a reminder id and asks Core to claim and perform it. Safe to run twice.</summary>
public sealed class ReminderJob(ReminderRunner runner)
{
    [AutomaticRetry(Attempts = 10)]
    [JobDisplayName("Reminder {0}")]
    public Task RunAsync(long reminderId, CancellationToken cancellationToken) => runner.RunAsync(reminderId, cancellationToken);

    /// <summary>The backstop: performs due reminders whose dispatch was lost or whose worker crashed.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task SweepAsync(CancellationToken cancellationToken) => runner.RunDueAsync(cancellationToken);
}

public sealed class RecurringJobsRegistration(IRecurringJobManager recurring) : IHostedService
{
    public const string SweepJobId = "reminders-sweep";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<ReminderJob>(SweepJobId, j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
