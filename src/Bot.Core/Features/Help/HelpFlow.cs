using System.Text;
using Bot.Core.Conversation;
using Bot.Core.Flows;

namespace Bot.Core.Features.Help;

/// <summary>/help, and the answer to anything the bot does not know: what exists, generated from the catalog.</summary>
public sealed class HelpFlow(IServiceProvider services) : IFlow
{
    public FlowInfo Info { get; } = new("help", "help", "Show what I can do", "/help");

    public Task OnCommandAsync(Turn turn, Command command, CancellationToken cancellationToken) =>
        turn.ReplyPrivatelyAsync(Render(unknown: null, turn.Interaction.Channel), cancellationToken);

    public Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken cancellationToken) =>
        turn.ReplyPrivatelyAsync(Render(unknown: null, turn.Interaction.Channel), cancellationToken);

    public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken cancellationToken) =>
        Task.FromResult(FormResult.Accepted);

    /// <param name="channel">The platform asked on: its other ways in (direct messages, mentions) are listed too.</param>
    public Message Render(string? unknown, string? channel = null)
    {
        // Resolved lazily: the catalog contains this flow.
        var catalog = (FlowCatalog)services.GetService(typeof(FlowCatalog))!;
        var lines = new StringBuilder();
        foreach (var flow in catalog.Flows)
        {
            lines.Append("• `").Append(flow.Info.Usage).Append("`: ").Append(flow.Info.Description).Append('\n');
        }

        var builder = Message.Build(unknown is null ? "Here is what I can do" : $"I don't know \"{unknown}\" yet; here is what I can do")
            .Header("What I can do");
        if (unknown is not null) builder.Text($"I don't know `{unknown}` yet. Try one of these:");
        builder.Text(lines.ToString().TrimEnd());
        if (channel is not null && ((ChannelRegistry?)services.GetService(typeof(ChannelRegistry)))?.Find(channel)?.WaysIn is { } waysIn) builder.Context(waysIn);
        return builder
            .Context("Escalating early is always welcome: nobody gets blamed for asking for help.")
            .Done();
    }
}
