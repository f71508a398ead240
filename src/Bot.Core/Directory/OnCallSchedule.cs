namespace Bot.Core.Directory;

/// <summary>Who is on call for a team at a moment, from its rotation. Shifts follow wall-clock time in the team's zone.</summary>
public static class OnCallSchedule
{
    public sealed record Shift(string? Primary, string? Secondary, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

    public static Shift At(Team team, DateTimeOffset now)
    {
        var rotation = team.OnCall;
        var tz = TimeZones.Find(team.TimeZone);
        var anchor = rotation.StartsOn.ToDateTime(rotation.HandoffTime);
        while (anchor.DayOfWeek != rotation.HandoffDay) anchor = anchor.AddDays(1);

        var localNow = TimeZoneInfo.ConvertTime(now, tz).DateTime;
        var shiftTicks = Math.Max(rotation.ShiftLength.Ticks, TimeSpan.TicksPerMinute);
        var index = localNow < anchor ? 0 : (localNow - anchor).Ticks / shiftTicks;
        var start = anchor.AddTicks(index * shiftTicks);
        var end = start.AddTicks(shiftTicks);

        var members = rotation.Members;
        string? primary = members.Count > 0 ? members[(int)(index % members.Count)] : null;
        string? secondary = members.Count > 1 ? members[(int)((index + 1) % members.Count)] : null;
        return new Shift(primary, secondary, ToInstant(start, tz), ToInstant(end, tz));
    }

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo tz)
    {
        // A wall-clock time skipped by a DST jump does not exist; move past the gap.
        while (tz.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, tz.GetUtcOffset(local));
    }
}
