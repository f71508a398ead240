using System.Globalization;
using Bot.Core.Directory;

namespace Bot.Core.Features.Digests;

/// <summary>A window the digest reports on: [<see cref="From"/>, <see cref="To"/>), a week from Monday 00:00 in the team's zone.</summary>
public readonly record struct DigestWindow(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The ISO week of the window's Monday, e.g. <c>2026-W48</c>.</summary>
    public string Label(string zone)
    {
        var monday = TimeZoneInfo.ConvertTime(From, TimeZones.Find(zone)).DateTime;
        return $"{ISOWeek.GetYear(monday).ToString(CultureInfo.InvariantCulture)}-W{ISOWeek.GetWeekOfYear(monday).ToString("D2", CultureInfo.InvariantCulture)}";
    }

    /// <summary>A number for the week, e.g. 202648, to key what is sent once per week.</summary>
    public long Key(string zone) => long.Parse(Label(zone).Replace("-W", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}

/// <summary>Weeks in a team's zone, DST-correct: a week may be 167 or 169 hours long.</summary>
public static class DigestWeeks
{
    /// <summary>The week containing <paramref name="at"/>.</summary>
    public static DigestWindow Containing(DateTimeOffset at, string zone)
    {
        var tz = TimeZones.Find(zone);
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, tz).DateTime);
        var monday = local.AddDays(-(((int)local.DayOfWeek + 6) % 7));
        return new DigestWindow(Midnight(monday, tz), Midnight(monday.AddDays(7), tz));
    }

    /// <summary>The week of a key from <see cref="DigestWindow.Key"/> (e.g. 202648) in the team's zone.</summary>
    public static DigestWindow FromKey(long key, string zone)
    {
        var monday = ISOWeek.ToDateTime((int)(key / 100), (int)(key % 100), DayOfWeek.Monday).AddHours(12);
        var tz = TimeZones.Find(zone);
        return Containing(new DateTimeOffset(monday, tz.GetUtcOffset(monday)), zone);
    }

    /// <summary>The full week before the one containing <paramref name="at"/>: what a Monday digest reports.</summary>
    public static DigestWindow Before(DateTimeOffset at, string zone) => Containing(Containing(at, zone).From.AddTicks(-1), zone);

    /// <summary>The <paramref name="count"/> full weeks before <paramref name="window"/>, most recent first.</summary>
    public static IEnumerable<DigestWindow> Preceding(DigestWindow window, string zone, int count)
    {
        var week = window;
        for (var i = 0; i < count; i++)
        {
            week = Containing(week.From.AddTicks(-1), zone);
            yield return week;
        }
    }

    private static DateTimeOffset Midnight(DateOnly day, TimeZoneInfo tz)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (tz.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }
}
