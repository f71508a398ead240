namespace Bot.Core.Directory;

public static class TimeZones
{
    public static bool IsKnown(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public static TimeZoneInfo Find(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var tz) ? tz : TimeZoneInfo.Utc;

    /// <summary>The calendar day <paramref name="at"/> falls on in the zone.</summary>
    public static DateOnly LocalDate(DateTimeOffset at, string? zoneId) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Find(zoneId)).DateTime);

    /// <summary>"14:05 CET" style, in the given zone; the date is added when it is not today there.</summary>
    public static string Format(DateTimeOffset at, string? zoneId, DateTimeOffset now)
    {
        var tz = Find(zoneId);
        var local = TimeZoneInfo.ConvertTime(at, tz);
        var today = TimeZoneInfo.ConvertTime(now, tz).Date;
        var offset = local.Offset == TimeSpan.Zero ? "UTC" : "UTC" + (local.Offset < TimeSpan.Zero ? "-" : "+") + local.Offset.ToString(@"hh\:mm");
        return local.Date == today ? $"{local:HH:mm} {offset}" : $"{local:ddd d MMM HH:mm} {offset}";
    }
}
