using Bot.Core.Conversation;

namespace Bot.Core.Tests.Conversation;

public sealed class PlainTests
{
    [Theory]
    [InlineData("checkout", 20, "checkout")]
    [InlineData("checkout is failing", 9, "checkout…")]
    [InlineData("on fire 🔥🔥", 10, "on fire …")] // never half of the emoji before the ellipsis
    public void Cut_EndsWithAnEllipsis_WholeCharactersOnly(string text, int max, string cut)
    {
        Assert.Equal(cut, Plain.Cut(text, max));
        Assert.True(Plain.Cut(text, max)!.Length <= max);
    }

    [Theory]
    [InlineData("checkout", 20, "checkout")]
    [InlineData("checkout is failing", 8, "checkout")]
    [InlineData("on fire 🔥", 9, "on fire ")] // the emoji takes two: it does not fit, and is not halved
    public void Limit_BoundsTypedText_WholeCharactersOnly(string text, int max, string limited)
    {
        Assert.Equal(limited, Plain.Limit(text, max));
        Assert.False(char.IsHighSurrogate(Plain.Limit(text, max)[^1]));
    }
}
