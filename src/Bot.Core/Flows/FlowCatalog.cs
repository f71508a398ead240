namespace Bot.Core.Flows;

/// <summary>The registered flows, in registration order; the router resolves commands against it, first match wins.</summary>
public sealed class FlowCatalog(IEnumerable<IFlow> flows)
{
    public IReadOnlyList<IFlow> Flows { get; } = flows.ToArray();

    public IFlow? ForCommand(string name) =>
        Flows.FirstOrDefault(f => string.Equals(f.Info.Command, name, StringComparison.OrdinalIgnoreCase))
        ?? Flows.FirstOrDefault(f => f.Info.Aliases?.Contains(name, StringComparer.OrdinalIgnoreCase) == true);

    /// <summary>The flow owning an action or form id ("escalation.ack" belongs to the flow keyed "escalation").</summary>
    public IFlow? ForId(string id)
    {
        var dot = id.IndexOf('.');
        var key = dot < 0 ? id : id[..dot];
        return Flows.FirstOrDefault(f => string.Equals(f.Info.Key, key, StringComparison.Ordinal));
    }
}
