using Bot.Core.Storage;
using Bot.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Operations;

/// <summary>
/// The data protection key ring lives in the database: what one replica protected (the dashboard's antiforgery token),
/// another replica on the same database reads, also when each made a key of its own first.
/// </summary>
public sealed class KeyRingTests
{
    [Theory]
    [InlineData(TestProvider.Sqlite)]
    [InlineData(TestProvider.Postgres)]
    public async Task TwoHostsOnOneDatabase_ReadEachOthersProtectedData(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var first = new BotAppFactory(database);
        await using var second = new BotAppFactory(database);
        var a = first.Get<IDataProtectionProvider>().CreateProtector("antiforgery");
        var b = second.Get<IDataProtectionProvider>().CreateProtector("antiforgery");

        var fromFirst = a.Protect("a token");
        var fromSecond = b.Protect("another token");

        Assert.Equal("a token", b.Unprotect(fromFirst));
        Assert.Equal("another token", a.Unprotect(fromSecond));
        Assert.NotEmpty(await first.WithDbAsync(db => db.ProtectionKeys.ToListAsync()));
    }
}
