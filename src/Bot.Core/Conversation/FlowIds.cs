using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Core.Conversation;

/// <summary>
/// Marks an enum whose members are one flow's button ids or form ids. A member's name on the wire is its
/// <see cref="WireAttribute"/> name, else its name in kebab case (<c>StartIncident</c> → <c>start-incident</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Enum)]
public sealed class FlowIdsAttribute(string flow) : Attribute
{
    public string Flow { get; } = flow;
}

/// <summary>The name an id member has on the wire, where it differs from its kebab-case name (kept for messages already posted).</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// A button's id: the flow that owns it and the member of that flow's action enum, optionally qualified to be unique within
/// one message (<c>review.edit.timeline</c>). On the wire and in card data it is <c>{flow}.{name}[.{qualifier}]</c>; what comes
/// back is parsed, never trusted: <see cref="Is{T}(out T)"/> answers only for a member the flow declares.
/// </summary>
[JsonConverter(typeof(FlowIdJsonConverter<ActionId>))]
public readonly record struct ActionId : IFlowId<ActionId>
{
    private ActionId(string flow, string name) => (Flow, Name) = (flow, name);

    /// <summary>The key of the flow it belongs to.</summary>
    public string Flow { get; }

    /// <summary>Everything after the flow key: the member's wire name and any qualifier.</summary>
    public string Name { get; }

    public static ActionId Of<T>(T which, string? qualifier = null) where T : struct, Enum =>
        new(FlowIds<T>.Flow, FlowIds<T>.Qualified(which, qualifier));

    /// <summary>An id a channel keeps for itself (Slack's "open the form" button); flows never see it.</summary>
    public static ActionId Internal(string flow, string name) => new(flow, name);

    /// <summary>The id a platform sent back; text that is no id becomes the empty id, which no flow owns.</summary>
    public static ActionId FromWire(string? wire) => TryParse(wire, out var id) ? id : default;

    public static bool TryParse([NotNullWhen(true)] string? wire, out ActionId id)
    {
        var ok = FlowIdText.TrySplit(wire, out var flow, out var name);
        id = ok ? new ActionId(flow, name) : default;
        return ok;
    }

    public bool Is<T>(out T which) where T : struct, Enum => FlowIds<T>.TryMatch(Flow, Name, out which, out _);

    public bool Is<T>(out T which, out string? qualifier) where T : struct, Enum => FlowIds<T>.TryMatch(Flow, Name, out which, out qualifier);

    public override string ToString() => Flow is null ? "" : Flow + "." + Name;
}

/// <summary>A form's id, as <see cref="ActionId"/> is a button's: the owning flow and a member of its form enum.</summary>
[JsonConverter(typeof(FlowIdJsonConverter<FormId>))]
public readonly record struct FormId : IFlowId<FormId>
{
    private FormId(string flow, string name) => (Flow, Name) = (flow, name);

    public string Flow { get; }

    public string Name { get; }

    public static FormId Of<T>(T which) where T : struct, Enum => new(FlowIds<T>.Flow, FlowIds<T>.Qualified(which, null));

    /// <summary>The id a platform sent back; text that is no id becomes the empty id, which no flow owns.</summary>
    public static FormId FromWire(string? wire) => TryParse(wire, out var id) ? id : default;

    public static bool TryParse([NotNullWhen(true)] string? wire, out FormId id)
    {
        var ok = FlowIdText.TrySplit(wire, out var flow, out var name);
        id = ok ? new FormId(flow, name) : default;
        return ok;
    }

    public bool Is<T>(out T which) where T : struct, Enum => FlowIds<T>.TryMatch(Flow, Name, out which, out var qualifier) && qualifier is null;

    public override string ToString() => Flow is null ? "" : Flow + "." + Name;
}

/// <summary>What <see cref="ActionId"/> and <see cref="FormId"/> share, for the JSON converter.</summary>
public interface IFlowId<TSelf> where TSelf : struct, IFlowId<TSelf>
{
    static abstract bool TryParse(string? wire, out TSelf id);
}

/// <summary>Ids are strings in JSON (stored playground entries, card data); a string that is not an id reads as the empty id.</summary>
public sealed class FlowIdJsonConverter<T> : JsonConverter<T> where T : struct, IFlowId<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        T.TryParse(reader.GetString(), out var id) ? id : default;

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

internal static class FlowIdText
{
    /// <summary>Longest id Slack takes (action_id and callback_id are 255); longer text is not an id of ours.</summary>
    private const int MaxLength = 255;

    public static bool TrySplit(string? wire, out string flow, out string name)
    {
        flow = name = "";
        if (string.IsNullOrEmpty(wire) || wire.Length > MaxLength) return false;
        var dot = wire.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == wire.Length - 1) return false;
        flow = wire[..dot];
        name = wire[(dot + 1)..];
        return true;
    }

    public static string Kebab(string member)
    {
        var text = new StringBuilder(member.Length + 4);
        for (var i = 0; i < member.Length; i++)
        {
            if (char.IsUpper(member[i]) && i > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(member[i]));
        }
        return text.ToString();
    }
}

/// <summary>One id enum's flow key and wire names, read once; typed access to <see cref="FlowIdSet"/>.</summary>
public static class FlowIds<T> where T : struct, Enum
{
    private static readonly FlowIdSet Set = FlowIdSet.Of(typeof(T));

    public static string Flow => Set.Flow;

    /// <summary>The wire names, in declaration order.</summary>
    public static IReadOnlyList<string> Names => Set.Names;

    public static string NameOf(T which) => Set.NameOf(which);

    internal static string Qualified(T which, string? qualifier)
    {
        var name = NameOf(which);
        if (qualifier is null) return name;
        if (qualifier.Length == 0) throw new ArgumentException("A qualifier is not empty.", nameof(qualifier));
        return name + "." + qualifier;
    }

    internal static bool TryMatch(string? flow, string? name, out T which, out string? qualifier)
    {
        var found = Set.TryMatch(flow, name, out var member, out qualifier);
        which = found ? (T)member! : default;
        return found;
    }
}

/// <summary>The flow key and the members' wire names of one id enum, read from its attributes once.</summary>
public sealed class FlowIdSet
{
    private static readonly ConcurrentDictionary<Type, FlowIdSet> Sets = new();
    private readonly (object Member, string Wire)[] _members;

    private FlowIdSet(Type ids)
    {
        Flow = ids.GetCustomAttribute<FlowIdsAttribute>()?.Flow
            ?? throw new InvalidOperationException($"{ids.Name} has no [FlowIds] attribute naming its flow.");
        _members = ids.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.GetValue(null)!, f.GetCustomAttribute<WireAttribute>()?.Name ?? FlowIdText.Kebab(f.Name))).ToArray();
        var repeated = _members.GroupBy(m => m.Wire).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new InvalidOperationException($"{ids.Name} names \"{repeated.Key}\" twice.");
        Names = _members.Select(m => m.Wire).ToArray();
    }

    public static FlowIdSet Of(Type ids) => Sets.GetOrAdd(ids, static type => new FlowIdSet(type));

    public string Flow { get; }

    public IReadOnlyList<string> Names { get; }

    public string NameOf(object which)
    {
        foreach (var (member, wire) in _members)
            if (member.Equals(which)) return wire;
        throw new ArgumentOutOfRangeException(nameof(which), which, "Not a member of this id enum.");
    }

    /// <summary>The declared member <paramref name="name"/> names, exactly or followed by <c>.{qualifier}</c>; the longest name wins.</summary>
    public bool TryMatch(string? flow, string? name, out object? which, out string? qualifier)
    {
        which = null;
        qualifier = null;
        if (!string.Equals(flow, Flow, StringComparison.Ordinal) || name is null) return false;
        var best = -1;
        foreach (var (member, wire) in _members)
        {
            if (wire.Length <= best) continue;
            if (string.Equals(name, wire, StringComparison.Ordinal))
            {
                (which, qualifier, best) = (member, null, wire.Length);
            }
            else if (name.Length > wire.Length + 1 && name[wire.Length] == '.' && name.StartsWith(wire, StringComparison.Ordinal))
            {
                (which, qualifier, best) = (member, name[(wire.Length + 1)..], wire.Length);
            }
        }
        return best >= 0;
    }
}

/// <summary>The id enums a flow declares, so the router can refuse an id no member names before the flow sees it.</summary>
public sealed record FlowIdTypes(Type? Actions, Type? Forms)
{
    public bool Knows(ActionId id) => Actions is not null && FlowIdSet.Of(Actions).TryMatch(id.Flow, id.Name, out _, out _);

    /// <summary>Forms take no qualifier.</summary>
    public bool Knows(FormId id) => Forms is not null && FlowIdSet.Of(Forms).TryMatch(id.Flow, id.Name, out _, out var qualifier) && qualifier is null;

    /// <summary>The flow key an id enum names (its [FlowIds] attribute).</summary>
    public static string? FlowOf(Type ids) => ids.GetCustomAttribute<FlowIdsAttribute>()?.Flow;
}
