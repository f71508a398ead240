namespace Bot.IncidentManager.Tests;

public sealed class IncidentManagerArchitectureTests
{
    [Fact]
    public void IncidentManager_ReferencesCoreOnly_NeverAChannelOrTheHost()
    {
        var projects = typeof(SsmIncidentsClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n.StartsWith("Bot.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["Bot.Core"], projects);
    }
}
