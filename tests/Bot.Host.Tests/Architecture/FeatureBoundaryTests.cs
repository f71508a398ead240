using System.Reflection;
using System.Reflection.Emit;
using Bot.Core.Events;
using Bot.Core.Features;
using Bot.Core.Storage;

namespace Bot.Host.Tests.Architecture;

/// <summary>
/// Features reach each other only through events and what they publish (<see cref="PublishedAttribute"/>): read
/// from the compiled code, method bodies included, so a call into another feature's internals cannot hide.
/// </summary>
public sealed class FeatureBoundaryTests
{
    private const string Features = "Bot.Core.Features.";

    [Fact]
    public void Features_UseEachOther_OnlyThroughEventsAndPublishedTypes()
    {
        var core = typeof(BotDbContext).Assembly;
        var crossings = core.GetTypes()
            .Where(t => FeatureOf(t) is not null)
            .SelectMany(t => Used(t).Select(u => (From: t, Used: u)))
            .Where(x => FeatureOf(x.Used) is { } other && other != FeatureOf(x.From) && !IsPublished(x.Used))
            .Select(x => $"{Outermost(x.From).FullName} uses {x.Used.FullName}")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Empty(crossings);
    }

    [Fact]
    public void TheCheck_SeesUsesInsideMethodBodies()
    {
        // A type known to call into its own feature's internals from a method body only (the escalation flow schedules its reminders).
        Assert.Contains(typeof(Bot.Core.Features.Escalation.EscalationReminders), Used(typeof(Bot.Core.Features.Escalation.EscalationFlow)));
    }

    private static string? FeatureOf(Type type)
    {
        var ns = Outermost(type).Namespace;
        if (ns is null || !ns.StartsWith(Features, StringComparison.Ordinal)) return null;
        var rest = ns[Features.Length..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    private static bool IsPublished(Type type)
    {
        var t = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return typeof(IFeatureEvent).IsAssignableFrom(t) || Outermost(t).GetCustomAttribute<PublishedAttribute>() is not null;
    }

    /// <summary>Every type a type's signatures and method bodies (its own and its nested types', e.g. lambdas and async state machines) name.</summary>
    private static IEnumerable<Type> Used(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new HashSet<Type>();
        foreach (var t in type.GetNestedTypes(all).SelectMany(Used).Prepend(type.BaseType).Concat(type.GetInterfaces()).OfType<Type>()) found.Add(t);
        foreach (var field in type.GetFields(all)) found.Add(field.FieldType);
        foreach (var property in type.GetProperties(all)) found.Add(property.PropertyType);
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            foreach (var p in method.GetParameters()) found.Add(p.ParameterType);
            if (method is MethodInfo m) found.Add(m.ReturnType);
            foreach (var used in BodyTypes(method)) found.Add(used);
        }
        return found.SelectMany(Expand).Distinct();
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType) return Expand(type.GetElementType()!);
        if (!type.IsGenericType) return [type];
        return type.GetGenericArguments().SelectMany(Expand).Prepend(type.GetGenericTypeDefinition());
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var module = method.Module;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[++i]) : il[i];
            i++;
            var op = OpCodesByValue[value];
            var size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, i);
                MemberInfo? member = null;
                try
                {
                    member = module.ResolveMember(token, typeArgs, methodArgs);
                }
                catch (ArgumentException)
                {
                }
                switch (member)
                {
                    case Type t: yield return t; break;
                    case FieldInfo f: yield return f.DeclaringType!; yield return f.FieldType; break;
                    case MethodBase m:
                        yield return m.DeclaringType!;
                        if (m is MethodInfo mi) yield return mi.ReturnType;
                        foreach (var p in m.GetParameters()) yield return p.ParameterType;
                        break;
                }
            }
            i += size;
        }
    }
}
