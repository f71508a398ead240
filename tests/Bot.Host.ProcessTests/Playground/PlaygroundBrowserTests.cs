using Bot.Testing;
using Microsoft.Playwright;

namespace Bot.Host.ProcessTests.Playground;

/// <summary>The playground page in headless Chromium (Debian's /usr/bin/chromium), against the real host process.</summary>
public sealed class PlaygroundBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Page_EscalateFillSubmit_SeeMessage_Acknowledge_SeeItUpdated()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var session = await BrowserSession.OpenAsync(database);
        var page = session.Page;

        // Ana, in #general, asks for help.
        await page.GetByTestId("who").SelectOptionAsync("ana");
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "#general" }).ClickAsync();
        await page.GetByTestId("composer").FillAsync("/escalate checkout is failing");
        await page.GetByTestId("send").ClickAsync();

        var form = page.GetByTestId("form-escalation.raise");
        await Assertions.Expect(form.GetByLabel("What is wrong?")).ToHaveValueAsync("checkout is failing");
        await form.GetByLabel("Customer impact").SelectOptionAsync("AffectedNow");
        await form.GetByLabel("How urgent?").SelectOptionAsync("Now");
        await form.GetByLabel("What have you tried?").FillAsync("Restarted the pods");
        await form.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();
        // The thanks is a direct message: found again after a crash, never sent twice.
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "Direct messages" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Thanks for raising #1")).ToBeVisibleAsync();

        // The team channel shows the escalation with its buttons.
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "#payments" }).ClickAsync();
        var message = page.GetByTestId("entry").Filter(new() { HasText = "Escalation #1" });
        await Assertions.Expect(message).ToContainTextAsync("Waiting for acknowledgement");
        await Assertions.Expect(message).ToContainTextAsync("Customers affected now");

        // Someone from Payments acknowledges; the message updates in place.
        await page.GetByTestId("who").SelectOptionAsync("sam");
        await message.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("Acknowledged by Sam Rivera");
        await Assertions.Expect(message.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Page_ReviewDraftInDirectMessages_WriteASection_SeeTheCoach()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var session = await BrowserSession.OpenAsync(database, height: 1100);
        var page = session.Page;

        // Ana escalates; Sam takes it, resolves it, and starts the review.
        await SayAsync(page, "ana", "#general", "/escalate checkout is failing");
        var form = page.GetByTestId("form-escalation.raise");
        await form.GetByLabel("Customer impact").SelectOptionAsync("AffectedNow");
        await form.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();
        // The thanks is a direct message: found again after a crash, never sent twice.
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "Direct messages" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Thanks for raising #1")).ToBeVisibleAsync();
        await page.GetByTestId("who").SelectOptionAsync("sam");
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "#payments" }).ClickAsync();
        var escalation = page.GetByTestId("entry").Filter(new() { HasText = "#1: checkout is failing" });
        await escalation.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        // The card is redrawn when the acknowledgement lands; Resolve is clicked on the card as redrawn.
        await Assertions.Expect(escalation).ToContainTextAsync("Acknowledged by Sam Rivera", new() { Timeout = 20_000 });
        await escalation.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        var resolve = page.GetByTestId("form-escalation.resolve");
        await resolve.GetByLabel("How was #1 resolved?").FillAsync("Rolled back the config change");
        await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Assertions.Expect(escalation).ToContainTextAsync("Outcome (Fixed)", new() { Timeout = 20_000 });
        await SayAsync(page, "sam", "#payments", "/review start #1");
        await Assertions.Expect(page.GetByText("Started blameless review PIR-1")).ToBeVisibleAsync();

        // The draft waits in Sam's direct messages; Sam writes the summary and a contributing factor.
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "Direct messages" }).ClickAsync();
        var draft = page.GetByTestId("entry").Filter(new() { HasText = "Post-incident review PIR-1" });
        await draft.GetByRole(AriaRole.Button, new() { Name = "➕ Summary" }).ClickAsync();
        var section = page.GetByTestId("form-review.section");
        await section.GetByLabel("Summary").FillAsync("A config change made card payments fail for 20 minutes; rolling it back fixed it.");
        await section.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(draft).ToContainTextAsync("1 of 5 required sections written");
        await draft.GetByRole(AriaRole.Button, new() { Name = "➕ Contributing factors" }).ClickAsync();
        var factors = page.GetByTestId("form-review.section").Last;
        await factors.GetByLabel("Contributing factors").FillAsync("Ana should have checked the canary. Config changes skip the canary stage.");
        await factors.GetByLabel("Kind of factor").SelectOptionAsync("tooling");
        await factors.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(draft).ToContainTextAsync("💡 Sam Rivera, about “should have”");
        await Assertions.Expect(draft).ToContainTextAsync("2 of 5 required sections written");

        var shot = await draft.ScreenshotAsync();
        Assert.True(shot.Length > 10_000);
        if (Environment.GetEnvironmentVariable("BOT_SCREENSHOT_DIR") is { Length: > 0 } dir)
            await File.WriteAllBytesAsync(Path.Combine(dir, "reviews.png"), shot);
    }

    [Fact]
    public async Task Page_ProposeAnExperiment_SupportAndConcern_OnTheCard()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var session = await BrowserSession.OpenAsync(database, height: 1100);
        var page = session.Page;

        await SayAsync(page, "sam", "#payments", "/propose-experiment Canary stage for config deploys");
        var form = page.GetByTestId("form-experiment.propose");
        await Assertions.Expect(form.GetByLabel("Title")).ToHaveValueAsync("Canary stage for config deploys");
        await form.GetByLabel("Hypothesis").FillAsync("We believe a canary stage for config changes will halve failed config deploys");
        await form.GetByLabel("How we will measure it").FillAsync("failed config deploys per week");
        await form.GetByLabel("Success looks like").FillAsync("at most 1 a week for four weeks");
        await form.GetByLabel("Kind").SelectOptionAsync("Tooling");
        await form.GetByLabel("Blast radius").SelectOptionAsync("LimitedProduction");
        await form.GetByLabel("End").FillAsync(DateTime.UtcNow.AddDays(21).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await form.GetByLabel("Stop condition and how to roll back").FillAsync("Stop if checkout errors rise above 1%; turn the flag off");
        await form.GetByLabel("Sponsor").SelectOptionAsync("ana");
        await form.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync();

        var card = page.GetByTestId("entry").Filter(new() { HasText = "Experiment EXP-1" });
        await Assertions.Expect(card).ToContainTextAsync("Proposed · waiting for approval", new() { Timeout = 20_000 });
        await page.GetByTestId("who").SelectOptionAsync("kim");
        await card.GetByRole(AriaRole.Button, new() { Name = "👍 Support" }).ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync("👍 1 support", new() { Timeout = 20_000 });
        await card.GetByRole(AriaRole.Button, new() { Name = "Raise a concern" }).ClickAsync();
        var concern = page.GetByTestId("form-experiment.concern");
        await concern.GetByLabel("What worries you about EXP-1?").FillAsync("A canary on 5% of traffic may hide a slow rollout; can we watch p99 too?");
        await concern.GetByRole(AriaRole.Button, new() { Name = "Raise" }).ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync("Concern from Kim Laine", new() { Timeout = 20_000 });
        await page.GetByTestId("who").SelectOptionAsync("bea");
        await card.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync("🙋 1 joined", new() { Timeout = 20_000 });

        var shot = await card.ScreenshotAsync();
        Assert.True(shot.Length > 10_000);
        if (Environment.GetEnvironmentVariable("BOT_SCREENSHOT_DIR") is { Length: > 0 } dir)
            await File.WriteAllBytesAsync(Path.Combine(dir, "experiments.png"), shot);
    }

    [Fact]
    public async Task Page_Digest_ForAManager()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        // Seven weeks of Payments history, so the digest has trends to show and its chart lines to draw.
        await using (var db = database.OpenContext())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(db.Database);
            await DemoHistory.SeedAsync(db, DateTimeOffset.UtcNow);
        }
        await using var session = await BrowserSession.OpenAsync(database, height: 1400);
        var page = session.Page;

        await SayAsync(page, "ana", "#general", "/escalate checkout is failing");
        var form = page.GetByTestId("form-escalation.raise");
        await form.GetByLabel("Customer impact").SelectOptionAsync("AffectedNow");
        await form.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "Direct messages" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Thanks for raising #34")).ToBeVisibleAsync(); // after 33 in the history
        await page.GetByTestId("who").SelectOptionAsync("kim");
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "#payments" }).ClickAsync();
        var escalation = page.GetByTestId("entry").Filter(new() { HasText = "#34: checkout is failing" });
        await escalation.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(escalation).ToContainTextAsync("Acknowledged by Kim Laine", new() { Timeout = 20_000 });

        await SayAsync(page, "lee", "#payments", "/digest");
        var digest = page.GetByTestId("entry").Filter(new() { HasText = "Culture health: Payments" });
        await Assertions.Expect(digest).ToContainTextAsync("Escalations raised: 1", new() { Timeout = 20_000 });
        await Assertions.Expect(digest).ToContainTextAsync("Worth a look");
        // The 8-week chart shows inline, loaded from the host's signed /charts address.
        var chart = digest.Locator("img");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img')].some(i => i.complete && i.naturalWidth === 800)");

        var shot = await digest.ScreenshotAsync();
        Assert.True(shot.Length > 10_000);
        if (Environment.GetEnvironmentVariable("BOT_SCREENSHOT_DIR") is { Length: > 0 } dir)
            await File.WriteAllBytesAsync(Path.Combine(dir, "digest.png"), shot);
    }

    [Fact]
    public async Task Page_AnAnswerArrivingLate_DoesNotTakeBackAFormBeingFilledIn()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var session = await BrowserSession.OpenAsync(database);
        var page = session.Page;
        await page.GetByTestId("who").SelectOptionAsync("ana");
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "#general" }).ClickAsync();

        // The page's next poll is answered (with the entries as they are now, before the command) only when released.
        var armed = 0;
        var askedSince = 0;
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var askedTwiceSince = new TaskCompletionSource();
        await page.RouteAsync("**/playground/api/entries?*", async route =>
        {
            if (Interlocked.Exchange(ref armed, 0) == 1)
            {
                var before = await route.FetchAsync();
                held.TrySetResult();
                await release.Task;
                await route.FulfillAsync(new() { Response = before });
                Volatile.Write(ref askedSince, 1);
                return;
            }
            // Two more polls (a second apart, each sent once the one before was handled): the late answer has been handled.
            if (Volatile.Read(ref askedSince) > 0 && Interlocked.Increment(ref askedSince) > 2) askedTwiceSince.TrySetResult();
            await route.ContinueAsync();
        });
        Interlocked.Exchange(ref armed, 1);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Ana escalates and starts filling in the form; then the old answer arrives.
        await page.GetByTestId("composer").FillAsync("/escalate checkout is failing");
        await page.GetByTestId("send").ClickAsync();
        var form = page.GetByTestId("form-escalation.raise");
        await Assertions.Expect(form.GetByLabel("What is wrong?")).ToHaveValueAsync("checkout is failing");
        await form.GetByLabel("What have you tried?").FillAsync("Restarted the pods");
        release.SetResult();
        await askedTwiceSince.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await Assertions.Expect(form.GetByLabel("What have you tried?")).ToHaveValueAsync("Restarted the pods");
        await form.GetByLabel("Customer impact").SelectOptionAsync("AffectedNow");
        await form.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = "Direct messages" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Thanks for raising #1")).ToBeVisibleAsync();
    }

    private static async Task SayAsync(IPage page, string who, string conversation, string text)
    {
        await page.GetByTestId("who").SelectOptionAsync(who);
        await page.GetByTestId("conversations").GetByRole(AriaRole.Button, new() { Name = conversation }).ClickAsync();
        await page.GetByTestId("composer").FillAsync(text);
        await page.GetByTestId("send").ClickAsync();
    }

    /// <summary>The host on <paramref name="database"/>, and a headless Chromium page on its playground.</summary>
    private sealed class BrowserSession(HostProcess host, IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IPage Page => page;

        public static async Task<BrowserSession> OpenAsync(TestDatabase database, int height = 720)
        {
            Assert.True(File.Exists(Chromium), $"Chromium is needed at {Chromium} (apt-get install chromium, as .ci/run does).");
            var host = HostProcess.Start(database.Settings);
            try
            {
                await host.WaitUntilReadyAsync();
                var playwright = await Playwright.CreateAsync();
                var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Chromium,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
                });
                var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = height } });
                page.SetDefaultTimeout(20_000);
                await page.GotoAsync(host.BaseAddress.ToString());
                return new BrowserSession(host, playwright, browser, page);
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            await host.DisposeAsync();
        }
    }
}
