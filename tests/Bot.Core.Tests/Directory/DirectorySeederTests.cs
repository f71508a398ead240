using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Directory;

public abstract class DirectorySeederTests(TestProvider provider)
{
    [Fact]
    public async Task Seeding_IsIdempotent_AndFollowsConfiguration()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var before = await core.WithDbAsync(async db => (await db.People.CountAsync(), await db.Teams.CountAsync(), await db.Services.CountAsync()));

        var seededAt = await core.WithDbAsync(db => db.DirectoryVersions.Select(v => v.SeededAt).SingleAsync());
        core.Clock.Advance(TimeSpan.FromHours(1));
        await using (var scope = core.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<DirectorySeeder>().SeedAsync(CancellationToken.None));
        }

        var after = await core.WithDbAsync(async db => (await db.People.CountAsync(), await db.Teams.CountAsync(), await db.Services.CountAsync()));
        Assert.Equal((7, 2, 4), before);
        Assert.Equal(before, after);
        // The same directory again is a restart: nothing is written, not even the time it was seeded.
        Assert.Equal(seededAt, await core.WithDbAsync(db => db.DirectoryVersions.Select(v => v.SeededAt).SingleAsync()));
        var payments = await core.WithDbAsync(db => db.Teams.SingleAsync(t => t.Key == "payments"));
        Assert.Equal(["sam", "bea", "kim"], payments.OnCall.Members);
        Assert.Equal("#payments", payments.ChannelFor("playground"));
        var escalation = core.Services.GetRequiredService<TeamSettings<EscalationTeamSettings>>();
        Assert.Equal(3, escalation.For(payments).Path.Count);
        Assert.Equal(TimeSpan.FromHours(8), escalation.For("platform").AckTimeouts.Today);
    }

    private static async Task<bool> SeedAsync(CoreHarness core, DirectoryOptions directory) =>
        await core.WithDbAsync(db => new DirectorySeeder(db, Microsoft.Extensions.Options.Options.Create(directory), core.Services.GetRequiredService<DirectoryCache>(),
            core.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<DirectorySeeder>.Instance).SeedAsync(CancellationToken.None));

    private static DirectoryOptions Configured(CoreHarness core, Action<DirectoryOptions>? change = null)
    {
        var copy = System.Text.Json.JsonSerializer.Deserialize<DirectoryOptions>(System.Text.Json.JsonSerializer.Serialize(
            core.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DirectoryOptions>>().Value))!;
        change?.Invoke(copy);
        return copy;
    }

    [Fact]
    public async Task DuringARollingDeploy_AnOldHostRestarting_DoesNotPutTheOldDirectoryBack()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var old = Configured(core);
        var renamed = Configured(core, d => d.Teams[0].Name = "Payments & Billing");

        Assert.True(await SeedAsync(core, renamed));
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await SeedAsync(core, old)); // an old host restarts
        Assert.Equal("Payments & Billing", await core.WithDbAsync(db => db.Teams.Where(t => t.Key == "payments").Select(t => t.Name).SingleAsync()));

        // The new directory seeded again changes nothing; a directory never seen is newer.
        Assert.True(await SeedAsync(core, renamed));
        Assert.True(await SeedAsync(core, Configured(core, d => d.Teams[0].Name = "Payments team")));
        Assert.Equal("Payments team", await core.WithDbAsync(db => db.Teams.Where(t => t.Key == "payments").Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task AConfiguredRevision_Decides_SoAnEarlierDirectoryCanBeBroughtBackOnPurpose()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        Assert.True(await SeedAsync(core, Configured(core, d => { d.Revision = 5; d.Teams[0].Name = "Five"; })));
        Assert.False(await SeedAsync(core, Configured(core, d => { d.Revision = 4; d.Teams[0].Name = "Four"; })));
        Assert.False(await SeedAsync(core, Configured(core, d => { d.Revision = 5; d.Teams[0].Name = "Five again, changed"; })));
        Assert.Equal("Five", await core.WithDbAsync(db => db.Teams.Where(t => t.Key == "payments").Select(t => t.Name).SingleAsync()));
        Assert.True(await SeedAsync(core, Configured(core, d => { d.Revision = 6; d.Teams[0].Name = "Four"; })));
        Assert.Equal("Four", await core.WithDbAsync(db => db.Teams.Where(t => t.Key == "payments").Select(t => t.Name).SingleAsync()));

        // The same directory at a higher revision is recorded, so a directory of a revision between the two stays out.
        Assert.True(await SeedAsync(core, Configured(core, d => { d.Revision = 8; d.Teams[0].Name = "Four"; })));
        Assert.False(await SeedAsync(core, Configured(core, d => { d.Revision = 7; d.Teams[0].Name = "Seven"; })));
        Assert.Equal("Four", await core.WithDbAsync(db => db.Teams.Where(t => t.Key == "payments").Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task ADirectoryRecordedWithASha256Hash_AtTheSameRevision_IsSeededAgain()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        Assert.True(await SeedAsync(core, Configured(core, d => { d.Revision = 3; d.Teams[0].Name = "Before"; })));
        // As an earlier release recorded it: the SHA-256 of its content, 64 hex digits.
        await core.WithDbAsync(db => db.DirectoryVersions.Where(v => v.SeededAt != null).ExecuteUpdateAsync(x => x.SetProperty(v => v.Hash, new string('a', 64))));

        Assert.True(await SeedAsync(core, Configured(core, d => { d.Revision = 3; d.Teams[0].Name = "After"; })));
        Assert.Equal("After", await core.WithDbAsync(db => db.Teams.Where(t => t.Key == "payments").Select(t => t.Name).SingleAsync()));
        var current = await core.WithDbAsync(db => db.DirectoryVersions.Where(v => v.SeededAt != null).Select(v => v.Hash).SingleAsync());
        Assert.Equal(DirectorySeeder.HashOf(Configured(core, d => { d.Revision = 3; d.Teams[0].Name = "After"; })), current);
        // From then on hashes compare again: another directory at that revision stays out.
        Assert.False(await SeedAsync(core, Configured(core, d => { d.Revision = 3; d.Teams[0].Name = "Other"; })));
    }

    [Fact]
    public async Task HostsStartingTogether_TakeTurns_NeitherFails_AndTheHigherRevisionWins()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var five = Configured(core, d => { d.Revision = 5; d.Teams[0].Name = "Five"; });
        var six = Configured(core, d => { d.Revision = 6; d.Teams[0].Name = "Six"; });
        for (var round = 0; round < 4; round++)
        {
            // A new database each round, which both hosts find unseeded.
            await using var database = await TestDatabase.CreateAsync(provider);
            var seeded = await Task.WhenAll(SeedOnAsync(database, core, round % 2 == 0 ? five : six), SeedOnAsync(database, core, round % 2 == 0 ? six : five));
            Assert.Contains(true, seeded);
            await using var db = database.OpenContext();
            Assert.Equal("Six", await db.Teams.Where(t => t.Key == "payments").Select(t => t.Name).SingleAsync());
            Assert.Equal(7, await db.People.CountAsync());
            Assert.Equal(6, await db.DirectoryVersions.Where(v => v.SeededAt != null).Select(v => v.Revision).SingleAsync());
        }
    }

    private static async Task<bool> SeedOnAsync(TestDatabase database, CoreHarness core, DirectoryOptions directory)
    {
        await Task.Yield();
        await using var db = database.OpenContext();
        return await new DirectorySeeder(db, Microsoft.Extensions.Options.Options.Create(directory), core.Services.GetRequiredService<DirectoryCache>(),
            core.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<DirectorySeeder>.Instance).SeedAsync(CancellationToken.None);
    }
}

public sealed class DirectorySeederOnSqlite() : DirectorySeederTests(TestProvider.Sqlite);

public sealed class DirectorySeederOnPostgres() : DirectorySeederTests(TestProvider.Postgres);
