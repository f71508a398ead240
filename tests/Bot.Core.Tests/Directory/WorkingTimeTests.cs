using Bot.Core.Directory;

namespace Bot.Core.Tests.Directory;

public sealed class WorkingTimeTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    // Resolved on a Tuesday afternoon in Berlin: Wednesday 09:00 CET.
    [InlineData("2026-11-24T15:00:00Z", "Europe/Berlin", "2026-11-25T08:00:00Z")]
    // Friday evening, Saturday and Sunday all go to Monday morning.
    [InlineData("2026-11-27T20:00:00Z", "Europe/Berlin", "2026-11-30T08:00:00Z")]
    [InlineData("2026-11-28T10:00:00Z", "Europe/Berlin", "2026-11-30T08:00:00Z")]
    [InlineData("2026-11-29T22:30:00Z", "Europe/Berlin", "2026-11-30T08:00:00Z")]
    // Late on Sunday in UTC is already Monday in Helsinki: the next morning there is Tuesday.
    [InlineData("2026-11-29T22:30:00Z", "Europe/Helsinki", "2026-12-01T07:00:00Z")]
    // The same instant is still Friday afternoon in New York.
    [InlineData("2026-11-27T20:00:00Z", "America/New_York", "2026-11-30T14:00:00Z")]
    // DST: resolved on Friday 30 October in New York (EDT); Monday 2 November 09:00 is EST.
    [InlineData("2026-10-30T20:00:00Z", "America/New_York", "2026-11-02T14:00:00Z")]
    // DST in Europe: Friday 27 March (CET), Monday 30 March 09:00 is CEST.
    [InlineData("2026-03-27T12:00:00Z", "Europe/Berlin", "2026-03-30T07:00:00Z")]
    public void NextMorning_IsTheFirstWorkingDayAfter_At0900Local(string resolved, string zone, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            WorkingTime.NextMorning(DateTimeOffset.Parse(resolved, System.Globalization.CultureInfo.InvariantCulture), zone));

    [Fact]
    public void AddWorkingDays_SkipsWeekends_AndKeepsTheLocalTimeAcrossDst()
    {
        // Friday 10:00 Berlin + 2 working days: Tuesday 10:00.
        Assert.Equal(Utc(12, 1, 9), WorkingTime.AddWorkingDays(Utc(11, 27, 9), 2, "Europe/Berlin"));
        // Thursday 29 October 10:00 New York (EDT) + 3 working days: Tuesday 3 November 10:00 EST.
        Assert.Equal(Utc(11, 3, 15), WorkingTime.AddWorkingDays(Utc(10, 29, 14), 3, "America/New_York"));
        // Outside working hours it starts from the next working morning: Saturday + 1 is Tuesday 09:00.
        Assert.Equal(Utc(12, 1, 8), WorkingTime.AddWorkingDays(Utc(11, 28, 12), 1, "Europe/Berlin"));
    }

    [Fact]
    public void Within_MovesEveningsAndWeekendsToTheNextMorning()
    {
        Assert.Equal(Utc(11, 24, 12), WorkingTime.Within(Utc(11, 24, 12), "Europe/Berlin"));
        Assert.Equal(Utc(11, 24, 8), WorkingTime.Within(Utc(11, 24, 5), "Europe/Berlin"));
        Assert.Equal(Utc(11, 25, 8), WorkingTime.Within(Utc(11, 24, 17), "Europe/Berlin"));
        Assert.Equal(Utc(11, 30, 8), WorkingTime.Within(Utc(11, 28, 12), "Europe/Berlin"));
    }
}
