using Bot.Core.Conversation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

/// <summary>Teams' work queue: the activity is acknowledged at once and its turn runs here.</summary>
public sealed class TeamsWorkQueue(IServiceScopeFactory scopes, IOptions<TeamsOptions> options, ILogger<TeamsWorkQueue> logger)
    : ChannelWorkQueue(scopes, options.Value.WorkQueueCapacity, options.Value.Workers, logger);
