using Xunit;

namespace Bot.Testing.Conformance;

[FeatureScenarios]
public static class HelpScenarios
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("Help_ListsTheFlowsThatExist", async s =>
        {
            await s.Driver.CommandAsync("ana", "/help");
            var reply = await s.Driver.PrivateReplyAsync("ana", m => m.Text.Contains("What I can do"), "help");
            Assert.Contains("/escalate", reply.Text);
            Assert.Contains("/help", reply.Text);
        }),
        new("UnknownCommand_AnswersWithHelp_NotAnError", async s =>
        {
            await s.Driver.CommandAsync("ana", "/frobnicate now");
            var reply = await s.Driver.PrivateReplyAsync("ana", m => m.Text.Contains("What I can do"), "help for an unknown command");
            Assert.Contains("I don't know `/frobnicate` yet", reply.Text);
            Assert.Contains("/escalate", reply.Text);
            Assert.DoesNotContain("went wrong", reply.Text);
        }),
    ];
}
