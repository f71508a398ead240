using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Flows;
using Bot.Core.Inbound;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>
/// <c>/slack/commands</c>, <c>/slack/interactions</c>, <c>/slack/events</c>: verified by <see cref="SlackVerifier"/> (the host's inbound filter),
/// acknowledged at once; the work follows on the Slack work queue. Only form submissions are handled
/// inline, because their validation errors must go back in the response.
/// </summary>
public static class SlackEndpoints
{
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value.Enabled) return app;

        var verified = new VerifiedBy(typeof(SlackVerifier));
        app.MapPost("/slack/commands", CommandAsync).WithMetadata(verified).ExcludeFromDescription();
        app.MapPost("/slack/interactions", InteractAsync).WithMetadata(verified).ExcludeFromDescription();
        app.MapPost("/slack/events", EventAsync).WithMetadata(verified).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CommandAsync(HttpContext http, ChannelWorkQueue<SlackOptions> queue, InstantAnswers instant)
    {
        var form = SlackPayloads.Form(VerifiedBy.Payload<ReadOnlyMemory<byte>>(http.Items).Span);
        if (!form.TryGetValue("command", out var name) || !form.TryGetValue("user_id", out var user) || !form.TryGetValue("channel_id", out var channel))
            return Unreadable();

        var command = new Command(name.TrimStart('/').ToLowerInvariant(), form.GetValueOrDefault("text", "").Trim());
        if (instant.For(command, SlackChannel.ChannelKind) is { } answer)
        {
            // Answered in the acknowledgement itself: Slack shows a command's response body to the person only.
            var (blocks, text) = SlackBlockKit.Render(answer);
            return Results.Json(new JsonObject { ["response_type"] = "ephemeral", ["text"] = text, ["blocks"] = blocks });
        }
        var interaction = new Interaction(SlackChannel.ChannelKind, new Actor(user, form.GetValueOrDefault("user_name", user)),
            new ConversationAddress(SlackChannel.ChannelKind, channel), form.GetValueOrDefault("trigger_id"));
        await queue.RunCommandAsync(interaction, command, http.RequestAborted);
        return Results.Ok();
    }

    private static async Task<IResult> InteractAsync(HttpContext http, ChannelWorkQueue<SlackOptions> queue, BotRouter router, DeliveryClaims claims,
        TimeProvider clock)
    {
        var payload = SlackPayloads.Interaction(VerifiedBy.Payload<ReadOnlyMemory<byte>>(http.Items).Span);
        if (payload is null) return Unreadable();
        var user = payload.Str("user", "id");
        if (user is null) return Unreadable();
        var actor = new Actor(user, payload.Str("user", "name") ?? payload.Str("user", "username") ?? user);

        switch (payload.Str("type"))
        {
            case "block_actions":
            {
                if (payload["actions"] is not JsonArray { Count: > 0 } actions) return Results.Ok();
                var action = actions[0]!;
                var channel = payload.Str("channel", "id") ?? payload.Str("container", "channel_id");
                var ts = payload.Str("message", "ts") ?? payload.Str("container", "message_ts");
                // A button in a thread answers in that thread (the reply to a mention, say).
                var thread = payload.Str("message", "thread_ts") ?? payload.Str("container", "thread_ts");
                var where = new ConversationAddress(SlackChannel.ChannelKind,
                    channel is null ? user : thread is null ? channel : SlackChannel.InThread(channel, thread));
                var message = channel is not null && ts is not null ? new MessageRef(SlackChannel.ChannelKind, channel, ts) : null;
                var button = new ButtonAction(action.Str("action_id") ?? "", action.Str("value") ?? "", message);
                var interaction = new Interaction(SlackChannel.ChannelKind, actor, where, payload.Str("trigger_id"));
                if (button.ActionId == SlackChannel.OpenFormAction)
                {
                    // The command typed earlier, run again now that a click gave a trigger: as the person clicking, so the
                    // value is no more than what they could type themselves.
                    if (Command.Parse(button.Value) is { } typed) await queue.RunCommandAsync(interaction, typed, http.RequestAborted);
                    return Results.Ok();
                }
                await queue.EnqueueAsync("action " + button.ActionId, async (sp, ct) =>
                {
                    await sp.GetRequiredService<SlackIdentity>().EnsureLinkedAsync(user, ct);
                    await sp.GetRequiredService<BotRouter>().HandleActionAsync(interaction, button, ct);
                }, http.RequestAborted);
                return Results.Ok();
            }
            case "view_submission" when payload["view"] is JsonObject view:
            {
                var (conversation, state) = SlackChannel.FormState.Unwrap(view.Str("private_metadata"));
                var interaction = new Interaction(SlackChannel.ChannelKind, actor,
                    new ConversationAddress(SlackChannel.ChannelKind, conversation ?? user), payload.Str("trigger_id"));
                var submission = new FormSubmission(view.Str("callback_id") ?? "", SlackBlockKit.Values(view), state);
                // The same view submitted twice (a double click, a delivery repeated) has one effect. Its claim is saved
                // by the submission's own first save, in its transaction: a crash before that commit leaves no claim, so the
                // retry is handled; after it, the retry finds the claim. Given back when the form is answered with errors,
                // so the person can correct it and submit the same view again.
                var viewId = view.Str("id") is { Length: > 0 and <= 200 } id ? id : null;
                var db = http.RequestServices.GetRequiredService<BotDbContext>();
                if (viewId is not null)
                {
                    if (await db.InboundDeliveries.AnyAsync(d => d.Source == ViewClaims && d.Key == viewId, CancellationToken.None)) return Results.Ok();
                    db.InboundDeliveries.Add(new InboundDelivery { Source = ViewClaims, Key = viewId, ReceivedAt = clock.GetUtcNow() });
                }
                // Not on RequestAborted: once a submission is being saved it runs to its end, or Slack would show an
                // error for an escalation that exists, inviting a second one.
                var result = await router.HandleSubmissionAsync(interaction, submission, CancellationToken.None);
                // A failed turn rolled its claim back with it; a claim there now is a concurrent copy's, and stays.
                if (viewId is not null && !result.IsAccepted && !result.Failed) await claims.ReleaseAsync(ViewClaims, viewId, CancellationToken.None);
                return result.IsAccepted
                    ? Results.Ok()
                    : Results.Json(new JsonObject
                    {
                        ["response_action"] = "errors",
                        ["errors"] = new JsonObject(result.Errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
                    });
            }
            case "message_action" when SlackShortcuts.OnMessage.TryGetValue(payload.Str("callback_id") ?? "", out var commandName):
            {
                var channel = payload.Str("channel", "id");
                var ts = payload.Str("message_ts") ?? payload.Str("message", "ts");
                if (channel is null || ts is null) return Unreadable();
                var text = SlackEvents.Plain(payload.Str("message", "text"));
                // A reply goes in the message's thread: the thread it is in, or the one it starts.
                var thread = SlackChannel.InThread(channel, payload.Str("message", "thread_ts") ?? ts);
                var interaction = new Interaction(SlackChannel.ChannelKind, actor, new ConversationAddress(SlackChannel.ChannelKind, channel), payload.Str("trigger_id"));
                await queue.RunCommandAsync(interaction, commandName, async (sp, ct) => new Command(commandName, text)
                {
                    From = new SourceMessage(await SlackShortcuts.PermalinkAsync(sp.GetRequiredService<SlackApiClient>(), channel, ts, ct),
                        new ConversationAddress(SlackChannel.ChannelKind, thread)),
                }, http.RequestAborted);
                return Results.Ok();
            }
            case "shortcut" when SlackShortcuts.Global.TryGetValue(payload.Str("callback_id") ?? "", out var commandName):
            {
                // From the shortcuts menu there is no channel: answers go to the person directly.
                var interaction = new Interaction(SlackChannel.ChannelKind, actor, new ConversationAddress(SlackChannel.ChannelKind, user), payload.Str("trigger_id"));
                await queue.RunCommandAsync(interaction, new Command(commandName, ""), http.RequestAborted);
                return Results.Ok();
            }
            default:
                // view_closed, unknown shortcuts and anything newer: acknowledged, nothing to do.
                return Results.Ok();
        }
    }

    private static async Task<IResult> EventAsync(HttpContext http, ChannelWorkQueue<SlackOptions> queue, DeliveryClaims claims)
    {
        var envelope = SlackPayloads.Json(VerifiedBy.Payload<ReadOnlyMemory<byte>>(http.Items).Span);
        if (envelope is null) return Unreadable();
        switch (envelope.Str("type"))
        {
            case "url_verification":
                return Results.Text(envelope.Str("challenge") ?? "", "text/plain");
            case "event_callback" when envelope["event"] is JsonObject e && envelope.Str("event_id") is { } eventId:
                // Slack retries until it gets a 2xx; the first delivery is claimed and handled, retries are only acknowledged.
                // Neither step may be cut short once the claim is asked for: a claimed event that is not queued would be lost.
                if (!await claims.TryClaimAsync("slack-event", eventId, CancellationToken.None)) return Results.Ok();
                await SlackEvents.DispatchAsync(queue, e, CancellationToken.None);
                return Results.Ok();
            default:
                return Results.Ok();
        }
    }

    private const string ViewClaims = "slack-view";

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

    private static IResult Unreadable() =>
        Results.Problem(title: "The request is not a Slack payload the bot can read", statusCode: StatusCodes.Status400BadRequest);
}
