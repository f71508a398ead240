using Bot.Channels.Teams;

namespace Bot.Channels.Teams.Tests;

public sealed class TeamsArchitectureTests
{
    [Fact]
    public void TeamsChannel_ReferencesCoreOnly_NeverAnotherChannelOrTheHost()
    {
        var projects = typeof(AdaptiveCards).Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n.StartsWith("Bot.", StringComparison.Ordinal)).ToArray();
        Assert.All(projects, p => Assert.Equal("Bot.Core", p));
    }
}
