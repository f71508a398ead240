using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Channels.Slack;

/// <summary>What the bot does with the Events API events it subscribes to.</summary>
public static class SlackEvents
{
    public static void Dispatch(SlackWorkQueue queue, JsonObject e)
    {
        var user = e.Str("user");
        if (user is null) return;
        switch (e.Str("type"))
        {
            case "app_mention" when e.Str("channel") is { } channel:
            {
                var interaction = new Interaction(SlackChannel.ChannelKind, new Actor(user, user), new ConversationAddress(SlackChannel.ChannelKind, channel));
                queue.Enqueue("app_mention", (sp, ct) => sp.GetRequiredService<BotRouter>().HandleCommandAsync(interaction, new Command("help", ""), ct));
                break;
            }
            case "app_home_opened" when e.Str("tab") is null or "home":
                queue.Enqueue("app_home_opened", (sp, ct) => sp.GetRequiredService<SlackAppHome>().PublishAsync(user, ct));
                break;
        }
    }
}
