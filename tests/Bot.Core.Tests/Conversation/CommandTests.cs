using Bot.Core.Conversation;

namespace Bot.Core.Tests.Conversation;

public sealed class CommandTests
{
    [Theory]
    [InlineData("/escalate checkout is failing", "escalate", "checkout is failing")]
    [InlineData("escalate checkout is failing", "escalate", "checkout is failing")]
    [InlineData("  /ESCALATE   spaces  around  ", "escalate", "spaces  around")]
    [InlineData("/help", "help", "")]
    [InlineData("/escalate\nline one\nline two", "escalate", "line one\nline two")]
    public void Parse_SplitsNameAndText(string input, string name, string text)
    {
        var command = Command.Parse(input);
        Assert.NotNull(command);
        Assert.Equal(name, command.Name);
        Assert.Equal(text, command.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/")]
    [InlineData(null)]
    public void Parse_NothingToRun_IsNull(string? input) => Assert.Null(Command.Parse(input));

    [Fact]
    public void FormWithErrors_KeepsSubmittedValues_AndPutsErrorsBesideFields()
    {
        var form = new Form(FormId.FromWire("t.f"), "T", [new FormField("a", "A", FieldKind.Text, Initial: "old"), new FormField("b", "B", FieldKind.Text)], "Go");
        var shown = form.WithErrors(new Dictionary<string, string> { ["b"] = "needed" }, new Dictionary<string, string?> { ["a"] = "new" });
        Assert.Equal("new", shown.Fields[0].Initial);
        Assert.Null(shown.Fields[0].Error);
        Assert.Equal("needed", shown.Fields[1].Error);
    }
}
