using Bot.Core.Scheduling;

namespace Bot.Host.Tests.Scheduling;

/// <summary>Every interval the options accept maps to a cron with that spacing (Hangfire itself parses two of them in the host tests).</summary>
public sealed class RecurringJobCronTests
{
    [Theory]
    [InlineData("00:01:00", "* * * * *")]
    [InlineData("00:05:00", "*/5 * * * *")]
    [InlineData("00:30:00", "*/30 * * * *")]
    [InlineData("01:00:00", "0 * * * *")]
    [InlineData("06:00:00", "0 */6 * * *")]
    [InlineData("1.00:00:00", "0 0 * * *")]
    public void EveryIntervalTheOptionsAccept_IsACronWithThatSpacing(string interval, string cron) =>
        Assert.Equal(new RecurringSchedule(cron, "UTC"), RecurringSchedule.Every(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)));
}
