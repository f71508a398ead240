using System.Text;
using Bot.Channels.Slack;

namespace Bot.Channels.Slack.Tests;

public sealed class SlackSignatureTests
{
    // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1531420618);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static SignatureCheck Verify(string secret = Secret, string? timestamp = Timestamp, string? signature = Expected, string body = Body, DateTimeOffset? now = null) =>
        SlackSignature.Verify(secret, timestamp, signature, Encoding.UTF8.GetBytes(body), now ?? At, Window);

    [Fact]
    public void DocumentedExample_ComputesTheDocumentedSignature() =>
        Assert.Equal(Expected, SlackSignature.Compute(Secret, Timestamp, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void DocumentedExample_Verifies() => Assert.Equal(SignatureCheck.Valid, Verify());

    [Fact]
    public void JsonBody_FromTheFactSheet_Verifies()
    {
        const string json = """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";
        Assert.Equal(SignatureCheck.Valid, Verify(body: json, signature: "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652"));
    }

    [Fact]
    public void WrongSecret_IsAMismatch() => Assert.Equal(SignatureCheck.Mismatch, Verify(secret: "8f742231b10e8888abcd99yyyzzz85a6"));

    [Fact]
    public void AlteredBody_IsAMismatch() => Assert.Equal(SignatureCheck.Mismatch, Verify(body: Body.Replace("roadrunner", "coyote", StringComparison.Ordinal)));

    [Fact]
    public void AlteredSignature_IsAMismatch() => Assert.Equal(SignatureCheck.Mismatch, Verify(signature: Expected[..^1] + "0"));

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86400)]
    public void TimestampOutsideFiveMinutes_IsStale(int offsetSeconds) =>
        Assert.Equal(SignatureCheck.Stale, Verify(now: At.AddSeconds(-offsetSeconds)));

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void TimestampAtTheEdgeOfTheWindow_IsAccepted(int offsetSeconds) =>
        Assert.Equal(SignatureCheck.Valid, Verify(now: At.AddSeconds(offsetSeconds)));

    [Fact]
    public void MissingHeaders_AreMissing()
    {
        Assert.Equal(SignatureCheck.Missing, Verify(timestamp: null));
        Assert.Equal(SignatureCheck.Missing, Verify(signature: null));
        Assert.Equal(SignatureCheck.Missing, Verify(signature: ""));
    }

    [Fact]
    public void NonNumericTimestamp_IsRejected() => Assert.Equal(SignatureCheck.BadTimestamp, Verify(timestamp: "1531420618.5"));

    [Fact]
    public void VersionOtherThanV0_IsRejected() => Assert.Equal(SignatureCheck.UnknownVersion, Verify(signature: "v1=" + Expected[3..]));
}
