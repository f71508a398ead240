using Bot.Core.Conversation;

namespace Bot.Core.Flows;

/// <summary>The registered flows, in registration order; the router resolves commands against it, first match wins.</summary>
public sealed class FlowCatalog(IEnumerable<IFlow> flows)
{
    public IReadOnlyList<IFlow> Flows { get; } = flows.ToArray();

    public IFlow? ForCommand(string name) =>
        Flows.FirstOrDefault(f => string.Equals(f.Info.Command, name, StringComparison.OrdinalIgnoreCase))
        ?? Flows.FirstOrDefault(f => f.Info.Aliases?.Contains(name, StringComparer.OrdinalIgnoreCase) == true);

    /// <summary>The flow owning a button id, when one of its action ids names it.</summary>
    public IFlow? ForId(ActionId id) => ForFlow(id.Flow) is { } flow && flow.Info.Ids.Knows(id) ? flow : null;

    /// <summary>The flow owning a form id, when one of its form ids names it.</summary>
    public IFlow? ForId(FormId id) => ForFlow(id.Flow) is { } flow && flow.Info.Ids.Knows(id) ? flow : null;

    private IFlow? ForFlow(string? key) => Flows.FirstOrDefault(f => string.Equals(f.Info.Key, key, StringComparison.Ordinal));
}
