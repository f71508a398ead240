using Bot.Testing;
using Microsoft.Playwright;

namespace Bot.Host.Tests.Playground;

/// <summary>The playground page in headless Chromium (Debian's /usr/bin/chromium), against the real host process.</summary>
public sealed class PlaygroundBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Page_EscalateFillSubmit_SeeMessage_Acknowledge_SeeItUpdated()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is needed at {Chromium} (apt-get install chromium, as .ci/run does).");
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = HostProcess.Start(database.Settings);
        await host.WaitUntilReadyAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync(host.BaseAddress.ToString());

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
}
