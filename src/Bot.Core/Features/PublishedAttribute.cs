namespace Bot.Core.Features;

/// <summary>
/// A type other features may use: a read model, a reference format, a query. Events (<see cref="Events.IFeatureEvent"/>)
/// are published by nature. Anything else in a feature's folder is its own (an architecture test enforces it).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum)]
public sealed class PublishedAttribute : Attribute;
