using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Flows;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Channels.Slack;

/// <summary>
/// What Slack asks of the bot, whichever transport delivered it (signed HTTP requests or Socket Mode envelopes): a slash
/// command, an interaction, an Events API callback, each already verified and parsed. Acknowledged at once; the work
/// follows on the Slack work queue. Only form submissions are handled inline, because their errors go back in the answer.
/// </summary>
public static class SlackInbound
{
    /// <summary>The acknowledgement: nothing, a JSON body Slack shows or acts on, or "this is not a payload the bot reads".</summary>
    public readonly record struct Answer(JsonObject? Body, bool Unreadable = false)
    {
        public static readonly Answer Empty = new(null);
        public static readonly Answer NotReadable = new(null, true);
    }

    public static async Task<Answer> CommandAsync(IServiceProvider services, IReadOnlyDictionary<string, string> form, CancellationToken ct)
    {
        if (!form.TryGetValue("command", out var name) || !form.TryGetValue("user_id", out var user) || !form.TryGetValue("channel_id", out var channel))
            return Answer.NotReadable;

        var command = new Command(name.TrimStart('/').ToLowerInvariant(), form.GetValueOrDefault("text", "").Trim());
        if (services.GetRequiredService<InstantAnswers>().For(command, SlackChannel.ChannelKind) is { } answer)
        {
            // Answered in the acknowledgement itself: Slack shows a command's response body to the person only.
            var (blocks, text) = SlackBlockKit.Render(answer);
            return new Answer(new JsonObject { ["response_type"] = "ephemeral", ["text"] = text, ["blocks"] = blocks });
        }
        var interaction = new Interaction(SlackChannel.ChannelKind, new Actor(user, form.GetValueOrDefault("user_name", user)),
            new ConversationAddress(SlackChannel.ChannelKind, channel), form.GetValueOrDefault("trigger_id"));
        await Queue(services).RunCommandAsync(interaction, command, ct);
        return Answer.Empty;
    }

    public static async Task<Answer> InteractAsync(IServiceProvider services, JsonObject payload, CancellationToken ct)
    {
        var user = payload.Str("user", "id");
        if (user is null) return Answer.NotReadable;
        var actor = new Actor(user, payload.Str("user", "name") ?? payload.Str("user", "username") ?? user);
        var queue = Queue(services);

        switch (payload.Str("type"))
        {
            case "block_actions":
            {
                if (payload["actions"] is not JsonArray { Count: > 0 } actions) return Answer.Empty;
                var action = actions[0]!;
                var channel = payload.Str("channel", "id") ?? payload.Str("container", "channel_id");
                var ts = payload.Str("message", "ts") ?? payload.Str("container", "message_ts");
                // A button in a thread answers in that thread (the reply to a mention, say).
                var thread = payload.Str("message", "thread_ts") ?? payload.Str("container", "thread_ts");
                var where = new ConversationAddress(SlackChannel.ChannelKind,
                    channel is null ? user : thread is null ? channel : SlackChannel.InThread(channel, thread));
                var message = channel is not null && ts is not null ? new MessageRef(SlackChannel.ChannelKind, channel, ts) : null;
                var button = new ButtonAction(ActionId.FromWire(action.Str("action_id")), action.Str("value") ?? "", message);
                var interaction = new Interaction(SlackChannel.ChannelKind, actor, where, payload.Str("trigger_id"));
                if (button.ActionId == SlackChannel.OpenFormAction)
                {
                    // The command typed earlier, run again now that a click gave a trigger: as the person clicking, so the
                    // value is no more than what they could type themselves.
                    if (Command.Parse(button.Value) is { } typed) await queue.RunCommandAsync(interaction, typed, ct);
                    return Answer.Empty;
                }
                await queue.EnqueueAsync("action " + button.ActionId, async (sp, token) =>
                {
                    await sp.GetRequiredService<SlackIdentity>().EnsureLinkedAsync(user, token);
                    await sp.GetRequiredService<BotRouter>().HandleActionAsync(interaction, button, token);
                }, ct);
                return Answer.Empty;
            }
            case "view_submission" when payload["view"] is JsonObject view:
                return await SubmitAsync(services, payload, view, actor);
            case "message_action" when SlackShortcuts.OnMessage.TryGetValue(payload.Str("callback_id") ?? "", out var commandName):
            {
                var channel = payload.Str("channel", "id");
                var ts = payload.Str("message_ts") ?? payload.Str("message", "ts");
                if (channel is null || ts is null) return Answer.NotReadable;
                var text = SlackEvents.Plain(payload.Str("message", "text"));
                // A reply goes in the message's thread: the thread it is in, or the one it starts.
                var thread = SlackChannel.InThread(channel, payload.Str("message", "thread_ts") ?? ts);
                var interaction = new Interaction(SlackChannel.ChannelKind, actor, new ConversationAddress(SlackChannel.ChannelKind, channel), payload.Str("trigger_id"));
                await queue.RunCommandAsync(interaction, commandName, async (sp, token) => new Command(commandName, text)
                {
                    From = new SourceMessage(await SlackShortcuts.PermalinkAsync(sp.GetRequiredService<SlackApiClient>(), channel, ts, token),
                        new ConversationAddress(SlackChannel.ChannelKind, thread)),
                }, ct);
                return Answer.Empty;
            }
            case "shortcut" when SlackShortcuts.Global.TryGetValue(payload.Str("callback_id") ?? "", out var commandName):
            {
                // From the shortcuts menu there is no channel: answers go to the person directly.
                var interaction = new Interaction(SlackChannel.ChannelKind, actor, new ConversationAddress(SlackChannel.ChannelKind, user), payload.Str("trigger_id"));
                await queue.RunCommandAsync(interaction, new Command(commandName, ""), ct);
                return Answer.Empty;
            }
            default:
                // view_closed, unknown shortcuts and anything newer: acknowledged, nothing to do.
                return Answer.Empty;
        }
    }

    /// <summary>An Events API callback (<c>event_callback</c>); other envelope types are acknowledged and left.</summary>
    public static async Task<Answer> EventAsync(IServiceProvider services, JsonObject envelope)
    {
        if (envelope.Str("type") != "event_callback" || envelope["event"] is not JsonObject e || envelope.Str("event_id") is not { } eventId)
            return Answer.Empty;
        // Slack retries until it hears back; the first delivery is claimed and handled, retries are only acknowledged.
        // Neither step may be cut short once the claim is asked for: a claimed event that is not queued would be lost.
        if (!await services.GetRequiredService<DeliveryClaims>().TryClaimAsync("slack-event", eventId, CancellationToken.None)) return Answer.Empty;
        await SlackEvents.DispatchAsync(Queue(services), e, CancellationToken.None);
        return Answer.Empty;
    }

    private static async Task<Answer> SubmitAsync(IServiceProvider services, JsonObject payload, JsonObject view, Actor actor)
    {
        var (conversation, state) = SlackChannel.FormState.Unwrap(view.Str("private_metadata"));
        var interaction = new Interaction(SlackChannel.ChannelKind, actor,
            new ConversationAddress(SlackChannel.ChannelKind, conversation ?? actor.UserId), payload.Str("trigger_id"));
        var submission = new FormSubmission(FormId.FromWire(view.Str("callback_id")), SlackBlockKit.Values(view), state);
        // The same view submitted twice (a double click, a delivery repeated) has one effect. Its claim is saved by the
        // submission's own first save, in its transaction: a crash before that commit leaves no claim, so the retry is
        // handled; after it, the retry finds the claim. Given back when the form is answered with errors, so the person
        // can correct it and submit the same view again.
        var viewId = view.Str("id") is { Length: > 0 and <= 200 } id ? id : null;
        var db = services.GetRequiredService<BotDbContext>();
        if (viewId is not null)
        {
            if (await db.InboundDeliveries.AnyAsync(d => d.Source == ViewClaims && d.Key == viewId, CancellationToken.None)) return Answer.Empty;
            db.InboundDeliveries.Add(new InboundDelivery { Source = ViewClaims, Key = viewId, ReceivedAt = services.GetRequiredService<TimeProvider>().GetUtcNow() });
        }
        // Not cancellable: once a submission is being saved it runs to its end, or Slack would show an error for an
        // escalation that exists, inviting a second one.
        var result = await services.GetRequiredService<BotRouter>().HandleSubmissionAsync(interaction, submission, CancellationToken.None);
        // A failed turn rolled its claim back with it; a claim there now is a concurrent copy's, and stays.
        if (viewId is not null && !result.IsAccepted && !result.Failed)
            await services.GetRequiredService<DeliveryClaims>().ReleaseAsync(ViewClaims, viewId, CancellationToken.None);
        return result.IsAccepted
            ? Answer.Empty
            : new Answer(new JsonObject
            {
                ["response_action"] = "errors",
                ["errors"] = new JsonObject(result.Errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
            });
    }

    private const string ViewClaims = "slack-view";

    private static ChannelWorkQueue<SlackOptions> Queue(IServiceProvider services) => services.GetRequiredService<ChannelWorkQueue<SlackOptions>>();

    /// <summary>Runs a command on the Slack work queue, as the person who asked (matched to the directory first).</summary>
    internal static ValueTask RunCommandAsync(this ChannelWorkQueue<SlackOptions> queue, Interaction interaction, Command command, CancellationToken ct) =>
        queue.RunCommandAsync(interaction, command.Name, (_, _) => Task.FromResult(command), ct);

    /// <summary>Runs a command built on the queue (it may need the Web API first), as the person who asked.</summary>
    internal static ValueTask RunCommandAsync(this ChannelWorkQueue<SlackOptions> queue, Interaction interaction, string name,
        Func<IServiceProvider, CancellationToken, Task<Command>> command, CancellationToken ct) =>
        queue.EnqueueAsync("command " + name, async (sp, token) =>
        {
            await sp.GetRequiredService<SlackIdentity>().EnsureLinkedAsync(interaction.Actor.UserId, token);
            await sp.GetRequiredService<BotRouter>().HandleCommandAsync(interaction, await command(sp, token), token);
        }, ct);
}
