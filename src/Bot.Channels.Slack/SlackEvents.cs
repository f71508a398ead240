using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Channels.Slack;

/// <summary>What the bot does with the Events API events it subscribes to.</summary>
public static class SlackEvents
{
    public static async ValueTask DispatchAsync(ChannelWorkQueue<SlackOptions> queue, JsonObject e, CancellationToken ct)
    {
        var user = e.Str("user");
        if (user is null) return;
        switch (e.Str("type"))
        {
            case "app_mention" when e.Str("channel") is { } channel:
            {
                var interaction = new Interaction(SlackChannel.ChannelKind, new Actor(user, user), new ConversationAddress(SlackChannel.ChannelKind, channel));
                await queue.EnqueueAsync("app_mention", (sp, token) => sp.GetRequiredService<BotRouter>().HandleCommandAsync(interaction, new Command("help", ""), token), ct);
                break;
            }
            case "app_home_opened" when e.Str("tab") is null or "home":
                await queue.EnqueueAsync("app_home_opened", (sp, token) => sp.GetRequiredService<SlackAppHome>().PublishAsync(user, token), ct);
                break;
        }
    }
}
