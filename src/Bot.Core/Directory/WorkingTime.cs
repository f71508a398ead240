namespace Bot.Core.Directory;

/// <summary>
/// Working time in a person's zone: Monday to Friday, 09:00 to 17:00 local. Prompts that ask someone to do something
/// land inside it, so nobody is nudged at night or on a weekend. Wall-clock times follow the zone's DST rules.
/// </summary>
public static class WorkingTime
{
    public static readonly TimeOnly DayStarts = new(9, 0);
    public static readonly TimeOnly DayEnds = new(17, 0);

    public static bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The start of the first working day after the local day of <paramref name="at"/>.</summary>
    public static DateTimeOffset NextMorning(DateTimeOffset at, string? zone)
    {
        var tz = TimeZones.Find(zone);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, tz).DateTime).AddDays(1);
        while (!IsWorkingDay(day)) day = day.AddDays(1);
        return Local(day, DayStarts, tz);
    }

    /// <summary>The start of working hours on <paramref name="day"/> in the zone, or the next working morning when it is a weekend.</summary>
    public static DateTimeOffset MorningOf(DateOnly day, string? zone) => Within(Local(day, DayStarts, TimeZones.Find(zone)), zone);

    /// <summary>Whether <paramref name="at"/> falls inside working hours (Monday to Friday, 09:00–17:00) in the zone.</summary>
    public static bool IsWorkingHours(DateTimeOffset at, string? zone) => Within(at, zone) == at;

    /// <summary><paramref name="at"/> when it is inside working hours, else the start of the next working hours.</summary>
    public static DateTimeOffset Within(DateTimeOffset at, string? zone)
    {
        var tz = TimeZones.Find(zone);
        var local = TimeZoneInfo.ConvertTime(at, tz).DateTime;
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (IsWorkingDay(day) && time >= DayStarts && time < DayEnds) return at;
        if (IsWorkingDay(day) && time < DayStarts) return Local(day, DayStarts, tz);
        return NextMorning(at, zone);
    }

    /// <summary>
    /// <paramref name="days"/> working days after <paramref name="at"/>, at the same local time (moved into working
    /// hours): Friday 10:00 plus 2 working days is Tuesday 10:00. Times come back in UTC, as they are stored.
    /// </summary>
    public static DateTimeOffset AddWorkingDays(DateTimeOffset at, int days, string? zone)
    {
        var tz = TimeZones.Find(zone);
        var start = TimeZoneInfo.ConvertTime(Within(at, zone), tz).DateTime;
        var day = DateOnly.FromDateTime(start);
        for (var added = 0; added < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) added++;
        }
        return Local(day, TimeOnly.FromDateTime(start), tz);
    }

    /// <summary>Working days from <paramref name="from"/> to <paramref name="to"/> (whole local days, weekends not counted).</summary>
    public static int WorkingDaysBetween(DateTimeOffset from, DateTimeOffset to, string? zone)
    {
        var tz = TimeZones.Find(zone);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, tz).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, tz).DateTime);
        var count = 0;
        while (day < last)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) count++;
        }
        return count;
    }

    private static DateTimeOffset Local(DateOnly day, TimeOnly time, TimeZoneInfo tz)
    {
        var local = day.ToDateTime(time);
        // A wall-clock time skipped by a DST jump does not exist; move past the gap.
        while (tz.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }
}
