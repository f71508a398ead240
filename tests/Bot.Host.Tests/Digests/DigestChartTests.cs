using System.Net;
using Bot.Channels.Slack;
using Bot.Core;
using Bot.Core.Directory;
using Bot.Core.Features.Digests;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Bot.Host.Tests.Digests;

/// <summary>The digest's chart through the real host: a signed, expiring PNG address, and a Slack file where there is no public address.</summary>
public abstract class DigestChartTests(TestProvider provider) : IAsyncLifetime
{
    private FakeSlackApi _slack = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackApi.StartAsync();
        _database = await TestDatabase.CreateAsync(provider);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private static async Task<string> ChartPathAsync(BotAppFactory host)
    {
        var team = await host.WithDbAsync(db => db.Teams.AsNoTracking().SingleAsync(t => t.Key == "payments"));
        var address = await host.Get<DigestCharts>().AddressAsync(team, DigestWeeks.Containing(host.Clock.GetUtcNow(), team.TimeZone), CancellationToken.None);
        Assert.StartsWith("https://bot.example.com/charts/", address);
        return new Uri(address).PathAndQuery;
    }

    [Fact]
    public async Task ASignedId_GivesAPngOfTheExpectedSize_ATamperedExpiredOrUnknownOneA404()
    {
        var host = new BotAppFactory(_database);
        var http = host.CreateClient();
        var path = await ChartPathAsync(host);

        var ok = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("image/png", ok.Content.Headers.ContentType!.MediaType);
        using (var bitmap = SKBitmap.Decode(await ok.Content.ReadAsByteArrayAsync()))
            Assert.Equal((DigestCharts.Width, DigestCharts.Height), (bitmap.Width, bitmap.Height));

        var id = path["/charts/".Length..^".png".Length];
        var parts = id.Split('.');
        var flipped = (parts[2][0] == 'a' ? 'b' : 'a') + parts[2][1..];
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/charts/{parts[0]}.{parts[1]}.{flipped}.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/charts/{parts[0]}.{long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 3600}.{parts[2]}.png")).StatusCode);
        var otherTeam = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes("platform/" + parts[0]));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/charts/{otherTeam}.{parts[1]}.{parts[2]}.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/charts/not-an-id.png")).StatusCode);

        // Signed, but for a team that does not exist, or for another kind of id: nothing to show.
        var links = host.Get<SignedLinks>();
        var unknown = await links.IdAsync(DigestCharts.Purpose, "nope/1764543600", TimeSpan.FromDays(1), CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/charts/{unknown}.png")).StatusCode);
        var otherPurpose = await links.IdAsync("other", "payments/1764543600", TimeSpan.FromDays(1), CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/charts/{otherPurpose}.png")).StatusCode);

        await host.DisposeAsync();

        // Thirty days later the same address has expired: a host started then (advancing a running host's clock by a
        // month would fire every periodic timer a month holds, for nothing this test looks at).
        await using (var later = new BotAppFactory(_database))
        {
            later.Clock.SetUtcNow(BotAppFactory.DefaultStart + DigestCharts.Lifetime + TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.NotFound, (await later.CreateClient().GetAsync(path)).StatusCode);
        }
        // A second before, it still worked: the lifetime is what expires it.
        await using var before = new BotAppFactory(_database);
        before.Clock.SetUtcNow(BotAppFactory.DefaultStart + DigestCharts.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await before.CreateClient().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task WithoutAPublicAddress_SlackGetsTheChartAsAFile_AndNoImageItCannotFetch()
    {
        var settings = new Dictionary<string, string?>(SlackDriver.Settings(_slack)) { ["Bot:PublicBaseUrl"] = "" };
        await using var host = new BotAppFactory(_database, settings);
        var driver = new SlackDriver(host, host.CreateClient(), _slack);
        await driver.CommandAsync("lee", "/digest");
        var digest = await driver.PrivateReplyAsync("lee", m => m.Text.Contains("Culture health: Payments"), "Lee's digest");
        Assert.DoesNotContain(digest.Message.Blocks, b => b is Bot.Core.Conversation.ImageBlock);

        var ticket = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("files.getUploadURLExternal").ToArray()), c => c.Length > 0, "the chart upload");
        Assert.StartsWith("digest-payments-", ticket[0].Body.Str("filename"));
        // The bytes are uploaded after the ticket is recorded, and before the upload is completed.
        await Eventually.GetAsync(() => Task.FromResult(_slack.Of("files.completeUploadExternal").ToArray()), c => c.Length > 0, "the completed upload");
        var bytes = _slack.Uploads[ticket[0].Reply.Str("file_id")!];
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.Equal((DigestCharts.Width, DigestCharts.Height), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task Ops03Link_DownloadsTheReport_AndATamperedOneIs404()
    {
        await using var host = new BotAppFactory(_database);
        var http = host.CreateClient();
        var team = await host.WithDbAsync(db => db.Teams.AsNoTracking().SingleAsync(t => t.Key == "payments"));
        var quarter = Ops03Report.Quarter(host.Clock.GetUtcNow(), team.TimeZone);
        var link = await host.Get<SignedLinks>().LinkAsync(host.Get<Ops03Report>(), $"payments/{quarter.To.ToUnixTimeSeconds()}.md", TimeSpan.FromDays(7),
            CancellationToken.None);
        var path = new Uri(link!).PathAndQuery;
        var ok = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/markdown", ok.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("# OPS03 evidence: Payments", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path.Replace("/payments/", "/platform/", StringComparison.Ordinal))).StatusCode);
    }
}

public sealed class DigestChartOnSqlite() : DigestChartTests(TestProvider.Sqlite);

public sealed class DigestChartOnPostgres() : DigestChartTests(TestProvider.Postgres);
