using Bot.Core.Directory;
using Bot.Core.Features.Escalation;

namespace Bot.Core.Tests.Directory;

public sealed class OnCallScheduleTests
{
    private static Team Payments(int members = 3) => new()
    {
        Key = "payments",
        TimeZone = "Europe/Berlin",
        Managers = ["lee"],
        OnCall = new OnCallRotation
        {
            Members = new[] { "sam", "bea", "kim" }.Take(members).ToList(),
            HandoffDay = DayOfWeek.Monday,
            HandoffTime = new TimeOnly(9, 0),
            ShiftLength = TimeSpan.FromDays(7),
            StartsOn = new DateOnly(2026, 1, 5),
        },
    };

    [Fact]
    public void FirstShift_StartsAtFirstHandoff_WithFirstMember()
    {
        var shift = OnCallSchedule.At(Payments(), new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero)); // 09:00 Berlin
        Assert.Equal(("sam", "bea"), (shift.Primary, shift.Secondary));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), shift.StartsAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 8, 0, 0, TimeSpan.Zero), shift.EndsAt);
    }

    [Fact]
    public void Handoff_HappensAtTheLocalTime_NotBefore()
    {
        var monday = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("sam", OnCallSchedule.At(Payments(), monday.AddHours(7).AddMinutes(59)).Primary); // 08:59 Berlin
        Assert.Equal("bea", OnCallSchedule.At(Payments(), monday.AddHours(8)).Primary);                 // 09:00 Berlin
    }

    [Fact]
    public void Handoff_FollowsWallClockAcrossDaylightSaving()
    {
        // Berlin moves to summer time on 2026-03-29: 09:00 local is 07:00 UTC from then on.
        var shift = OnCallSchedule.At(Payments(), new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero), shift.StartsAt);
    }

    [Fact]
    public void BeforeTheRotationStarts_FirstMemberIsOnCall()
    {
        Assert.Equal("sam", OnCallSchedule.At(Payments(), new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)).Primary);
    }

    [Fact]
    public void OneMember_HasNoSecondary()
    {
        var shift = OnCallSchedule.At(Payments(members: 1), new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal("sam", shift.Primary);
        Assert.Null(shift.Secondary);
    }

    [Fact]
    public void Targets_ResolveEachKindOfLevel()
    {
        var team = Payments();
        var now = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(["bea"], EscalationTeamSettings.Targets(team, new EscalationLevel { Notify = EscalationTarget.PrimaryOnCall }, now));
        Assert.Equal(["kim"], EscalationTeamSettings.Targets(team, new EscalationLevel { Notify = EscalationTarget.SecondaryOnCall }, now));
        Assert.Equal(["lee"], EscalationTeamSettings.Targets(team, new EscalationLevel { Notify = EscalationTarget.Managers }, now));
        Assert.Equal(["ana", "raj"], EscalationTeamSettings.Targets(team, new EscalationLevel { Notify = EscalationTarget.People, People = ["ana", "raj", "ana"] }, now));
    }
}
