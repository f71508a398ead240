using Bot.Core.Conversation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>Slack's work queue: runs within milliseconds so a trigger_id (valid 3 s) is still fresh when a modal opens.</summary>
public sealed class SlackWorkQueue(IServiceScopeFactory scopes, IOptions<SlackOptions> options, ILogger<SlackWorkQueue> logger)
    : ChannelWorkQueue(scopes, options.Value.WorkQueueCapacity, options.Value.Workers, logger);
