namespace Bot.Core.Scheduling;

/// <summary>
/// For channels that must answer a click with its result in the same HTTP response (a Teams card action): the
/// reminders a turn commits are held instead of dispatched, then the due ones run inline, before the answer is
/// sent. They are still claimed rows, so running inline changes when, never how often; a failure goes back to the
/// scheduler, and reminders due later are dispatched as usual.
/// </summary>
public sealed class TurnFollowUps(ReminderDispatchInterceptor interceptor, ReminderRunner runner, IReminderDispatcher dispatcher, TimeProvider clock)
{
    public void Hold() => interceptor.Hold();

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var (id, dueAt) in interceptor.Release())
        {
            if (dueAt <= clock.GetUtcNow())
            {
                try
                {
                    await runner.RunAsync(id, ct);
                    continue;
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    // Logged and released by the runner; the scheduler retries it below.
                }
            }
            dispatcher.Dispatch(id, dueAt);
        }
    }
}
