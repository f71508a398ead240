using System.Globalization;

namespace Bot.Core.Scheduling;

/// <summary>
/// A cron expression (minute hour day-of-month month day-of-week) read in an IANA time zone, so "0 9 * * 1" in
/// Europe/Berlin is Monday 09:00 there all year: the scheduler follows daylight saving time.
/// </summary>
public sealed record RecurringSchedule(string Cron, string TimeZone = "UTC")
{
    /// <summary>Every N minutes (N divides an hour) or every N hours (N divides a day), in UTC.</summary>
    public static RecurringSchedule Every(TimeSpan interval) => new(interval switch
    {
        { TotalMinutes: 1 } => "* * * * *",
        { TotalHours: < 1 } => $"*/{interval.Minutes.ToString(CultureInfo.InvariantCulture)} * * * *",
        { TotalHours: 1 } => "0 * * * *",
        { TotalDays: 1 } => "0 0 * * *",
        _ => $"0 */{((int)interval.TotalHours).ToString(CultureInfo.InvariantCulture)} * * *",
    });

    /// <summary>Once a week at a local time of day in <paramref name="timeZone"/>.</summary>
    public static RecurringSchedule Weekly(DayOfWeek day, TimeOnly at, string timeZone) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{at.Minute} {at.Hour} * * {(int)day}"), timeZone);

    /// <summary>Every day at a local time of day in <paramref name="timeZone"/>.</summary>
    public static RecurringSchedule Daily(TimeOnly at, string timeZone) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{at.Minute} {at.Hour} * * *"), timeZone);
}
