using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Directory;

public sealed class DirectorySeederTests
{
    [Fact]
    public async Task Seeding_IsIdempotent_AndFollowsConfiguration()
    {
        await using var core = await CoreHarness.CreateAsync();
        var before = await core.WithDbAsync(async db => (await db.People.CountAsync(), await db.Teams.CountAsync(), await db.Services.CountAsync()));

        await using (var scope = core.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DirectorySeeder>().SeedAsync(CancellationToken.None);
        }

        var after = await core.WithDbAsync(async db => (await db.People.CountAsync(), await db.Teams.CountAsync(), await db.Services.CountAsync()));
        Assert.Equal((7, 2, 4), before);
        Assert.Equal(before, after);
        var payments = await core.WithDbAsync(db => db.Teams.SingleAsync(t => t.Key == "payments"));
        Assert.Equal(["sam", "bea", "kim"], payments.OnCall.Members);
        Assert.Equal("#payments", payments.ChannelFor("playground"));
        var escalation = core.Services.GetRequiredService<TeamSettings<EscalationTeamSettings>>();
        Assert.Equal(3, escalation.For(payments).Path.Count);
        Assert.Equal(TimeSpan.FromHours(8), escalation.For("platform").AckTimeouts.Today);
    }
}
