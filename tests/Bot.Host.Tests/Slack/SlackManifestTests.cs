using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Testing;

namespace Bot.Host.Tests.Slack;

/// <summary>
/// The two Slack app manifests: over HTTP request URLs, and over Socket Mode with none. Both describe the same app (commands,
/// shortcuts, scopes, events), and their shortcuts are the ones the bot answers.
/// </summary>
public sealed class SlackManifestTests
{
    private static JsonObject Manifest(string name) => YamlFiles.LoadSingle(Path.Combine(YamlFiles.RepositoryRoot(), "manifests", "slack", name));

    private static readonly JsonObject Http = Manifest("manifest.yaml");
    private static readonly JsonObject SocketMode = Manifest("manifest.socket-mode.yaml");

    [Fact]
    public void Http_SendsEveryRequestToTheBotsEndpoints()
    {
        Assert.False(Http["settings"]!["socket_mode_enabled"]!.GetValue<bool>());
        Assert.All(Http["features"]!["slash_commands"]!.AsArray(), c => Assert.Equal("https://YOUR-HOST/slack/commands", c.Str("url")));
        Assert.Equal("https://YOUR-HOST/slack/events", Http["settings"]!["event_subscriptions"].Str("request_url"));
        Assert.Equal("https://YOUR-HOST/slack/interactions", Http["settings"]!["interactivity"].Str("request_url"));
    }

    [Fact]
    public void SocketMode_IsOn_WithNoRequestUrls()
    {
        Assert.True(SocketMode["settings"]!["socket_mode_enabled"]!.GetValue<bool>());
        Assert.True(SocketMode["settings"]!["interactivity"]!["is_enabled"]!.GetValue<bool>());
        Assert.DoesNotContain("url", SocketMode.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BothDescribeTheSameApp()
    {
        static JsonNode WithoutTransport(JsonObject manifest)
        {
            var copy = manifest.DeepClone().AsObject();
            foreach (var command in copy["features"]!["slash_commands"]!.AsArray()) command!.AsObject().Remove("url");
            copy["settings"]!["event_subscriptions"]!.AsObject().Remove("request_url");
            copy["settings"]!["interactivity"]!.AsObject().Remove("request_url");
            copy["settings"]!.AsObject().Remove("socket_mode_enabled");
            return copy;
        }

        Assert.True(JsonNode.DeepEquals(WithoutTransport(Http), WithoutTransport(SocketMode)));
    }

    [Fact]
    public void Shortcuts_AreTheOnesTheBotAnswers()
    {
        var shortcuts = Http["features"]!["shortcuts"]!.AsArray();
        Assert.Equal(SlackShortcuts.OnMessage.Keys.Order(), shortcuts.Where(s => s.Str("type") == "message").Select(s => s.Str("callback_id")!).Order());
        Assert.Equal(SlackShortcuts.Global.Keys.Order(), shortcuts.Where(s => s.Str("type") == "global").Select(s => s.Str("callback_id")!).Order());
    }
}
