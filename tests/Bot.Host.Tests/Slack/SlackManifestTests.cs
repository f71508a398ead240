using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task SlashCommands_AreTheBotsCommands()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database);
        await using var scope = host.Services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetRequiredService<Bot.Core.Flows.FlowCatalog>().Flows
            .SelectMany(f => (f.Info.Aliases ?? []).Prepend(f.Info.Command)).Select(c => "/" + c).ToArray();
        Assert.Equal(commands.Order(), Http["features"]!["slash_commands"]!.AsArray().Select(c => c.Str("command")!).Order());
        Assert.Contains("/digest", commands);
        // And Teams offers the same commands in its command menu.
        var teams = JsonNode.Parse(File.ReadAllText(Path.Combine(YamlFiles.RepositoryRoot(), "manifests", "teams", "manifest.json")))!;
        Assert.Equal(commands.Select(c => c[1..]).Order(),
            teams["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()).Order());
    }

    /// <summary>What typing to the bot and mentioning it need: the events, and the scopes to receive them.</summary>
    [Fact]
    public void DirectMessagesAndMentions_AreSubscribed_WithTheirScopes()
    {
        var events = Http["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => e!.GetValue<string>()).ToArray();
        Assert.Equal(["app_home_opened", "app_mention", "message.im"], events.Order());
        var scopes = Http["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(e => e!.GetValue<string>()).ToArray();
        Assert.Contains("im:history", scopes);
        Assert.Contains("app_mentions:read", scopes);
        // Looking up a post whose answer was lost reads the conversation's history.
        Assert.Contains("channels:history", scopes);
        Assert.Contains("groups:history", scopes);
    }
}
