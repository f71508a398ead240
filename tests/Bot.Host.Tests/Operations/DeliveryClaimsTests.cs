using Bot.Core.Storage;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Operations;

/// <summary>Batched delivery claims on each provider: one winner per key under concurrency, and a claim outlives the host.</summary>
public abstract class DeliveryClaimsTests(TestProvider provider)
{
    [Fact]
    public async Task ConcurrentClaims_OfTheSameKey_HaveOneWinner_AndDistinctKeysAllWin()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database);
        var claims = host.Get<DeliveryClaims>();

        var same = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => claims.TryClaimAsync("teams-activity", "a:dm|1", CancellationToken.None))));
        Assert.Single(same, won => won);

        var distinct = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => claims.TryClaimAsync("teams-activity", $"a:dm|{i + 2}", CancellationToken.None))));
        Assert.All(distinct, Assert.True);
        // Sources are separate namespaces: the same key from another source is its own delivery.
        Assert.True(await claims.TryClaimAsync("slack-event", "a:dm|1", CancellationToken.None));
        Assert.Equal(302, await host.WithDbAsync(db => db.InboundDeliveries.CountAsync()));
        // Stored with the host's time, through the provider's own conversion, so the weekly clean-up finds them.
        Assert.All(await host.WithDbAsync(db => db.InboundDeliveries.Select(d => d.ReceivedAt).ToListAsync()), at => Assert.Equal(host.Clock.GetUtcNow(), at));
        host.Clock.Advance(InboundDeliveries.Kept - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await host.WithDbAsync(db => db.ForgetOldDeliveriesAsync(host.Clock.GetUtcNow(), CancellationToken.None)));
        // (The host's own sweep may be the one that forgets them once the clock passes a week.)
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.WithDbAsync(db => db.ForgetOldDeliveriesAsync(host.Clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal(0, await host.WithDbAsync(db => db.InboundDeliveries.CountAsync()));
    }

    [Fact]
    public async Task AKeyLongerThanTheColumn_IsClaimedByItsHash_Once()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database);
        var claims = host.Get<DeliveryClaims>();
        var key = "a:" + new string('x', 400) + "|1";
        Assert.True(await claims.TryClaimAsync("teams-activity", key, CancellationToken.None));
        Assert.False(await claims.TryClaimAsync("teams-activity", key, CancellationToken.None));
        Assert.True(await claims.TryClaimAsync("teams-activity", key[..^1] + "2", CancellationToken.None));
    }

    [Fact]
    public async Task AClaim_IsRememberedByTheNextHost_OnTheSameDatabase()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var first = new BotAppFactory(database))
        {
            Assert.True(await first.Get<DeliveryClaims>().TryClaimAsync("teams-activity", "19:x|42", CancellationToken.None));
        }
        await using var second = new BotAppFactory(database);
        Assert.False(await second.Get<DeliveryClaims>().TryClaimAsync("teams-activity", "19:x|42", CancellationToken.None));
        Assert.True(await second.Get<DeliveryClaims>().TryClaimAsync("teams-activity", "19:x|43", CancellationToken.None));
    }
}

public sealed class DeliveryClaimsOnSqlite() : DeliveryClaimsTests(TestProvider.Sqlite);

public sealed class DeliveryClaimsOnPostgres() : DeliveryClaimsTests(TestProvider.Postgres);
