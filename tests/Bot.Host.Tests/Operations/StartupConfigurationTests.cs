using Bot.Testing;

namespace Bot.Host.Tests.Operations;

/// <summary>Configuration that cannot work stops start-up with one line naming the key.</summary>
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("Storage:Provider", "Oracle", "Storage:Provider")]
    [InlineData("Directory:Teams:0:OnCall:Members:0", "nobody", "Directory:Teams:0:OnCall:Members:0")]
    [InlineData("Directory:Teams:1:TimeZone", "Mars/Olympus", "Directory:Teams:1:TimeZone")]
    [InlineData("Escalation:DefaultAckTimeouts:Now", "-00:05:00", "Escalation:DefaultAckTimeouts:Now")]
    [InlineData("Directory:Teams:0:OnCall:HandoffDay", "Someday", "Directory:Teams:0:OnCall:HandoffDay")]
    public async Task InvalidSetting_StopsStartup_WithOneLineNamingTheKey(string key, string value, string named)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(database.Settings) { [key] = value };
        await using var host = HostProcess.Start(settings);

        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = Assert.Single(lines, l => l.StartsWith("Configuration error:", StringComparison.Ordinal));
        Assert.Contains(named, error);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostgresWithoutConnectionString_StopsStartup_NamingTheKey()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:Bot"] = "" });
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ConnectionStrings:Bot", host.Output);
    }
}
