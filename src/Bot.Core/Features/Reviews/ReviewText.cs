using System.Globalization;
using Bot.Core.Directory;

namespace Bot.Core.Features.Reviews;

/// <summary>The words people see for a review's choices and times, shared by forms, cards and the export.</summary>
public static class ReviewText
{
    public static readonly IReadOnlyList<(ActionKind Value, string Label)> ActionKinds =
    [
        (ActionKind.Prevent, "Prevent"),
        (ActionKind.Detect, "Detect"),
        (ActionKind.Mitigate, "Mitigate"),
        (ActionKind.Process, "Process"),
    ];

    public static string Label(ActionKind kind) => ActionKinds.First(k => k.Value == kind).Label;

    public static string Label(ActionStatus status) => status switch
    {
        ActionStatus.Done => "Done",
        ActionStatus.NotDoing => "Not doing",
        _ => "Open",
    };

    public static string Day(DateOnly day) => day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at, string? zone) =>
        Day(TimeZones.LocalDate(at, zone));

    /// <summary>Timeline times in the team's zone: with dates when the timeline spans more than one local day.</summary>
    public static Func<DateTimeOffset, string> TimelineClock(IEnumerable<DateTimeOffset> times, string? zone)
    {
        var tz = TimeZones.Find(zone);
        var spansDays = times.Select(t => TimeZoneInfo.ConvertTime(t, tz).Date).Distinct().Count() > 1;
        return at =>
        {
            var local = TimeZoneInfo.ConvertTime(at, tz);
            return local.ToString(spansDays ? "ddd d MMM HH:mm" : "HH:mm", CultureInfo.InvariantCulture);
        };
    }

    public static string Progress(Review review)
    {
        if (review.Status == ReviewStatus.Completed) return "Completed";
        var required = review.Sections.Count(s => s.Required);
        var written = required - review.MissingRequired.Count;
        return $"Draft · {written} of {required} required sections written";
    }
}
