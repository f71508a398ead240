using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.IncidentManager;

// The ssm-incidents shapes the bot uses (rest-json, camelCase members, timestamps as epoch seconds).
// Unions (ItemValue, Condition, EventReference, RelatedItemsUpdate) carry exactly one non-null member.

public sealed record TriggerDetails(string Source, DateTimeOffset Timestamp, string? TriggerArn = null, string? RawData = null);

public sealed record ItemValue(string? Arn = null, string? Url = null);

public sealed record ItemIdentifier(string Type, ItemValue Value);

public sealed record RelatedItem(ItemIdentifier Identifier, string? Title = null, string? GeneratedId = null);

public sealed record StartIncidentRequest(string ResponsePlanArn, TriggerDetails TriggerDetails, string? Title = null, int? Impact = null,
    IReadOnlyList<RelatedItem>? RelatedItems = null, string? ClientToken = null);

public sealed record IncidentRecordSource(string? CreatedBy, string? InvokedBy, string? ResourceArn, string? Source);

public sealed record IncidentRecord(string Arn, string Title, string Status, int Impact, DateTimeOffset CreationTime,
    DateTimeOffset? ResolvedTime = null, DateTimeOffset? LastModifiedTime = null, string? LastModifiedBy = null, string? Summary = null,
    string? DedupeString = null, IncidentRecordSource? IncidentRecordSource = null);

public sealed record IncidentRecordSummary(string Arn, string Title, string Status, int Impact, DateTimeOffset CreationTime,
    DateTimeOffset? ResolvedTime = null, IncidentRecordSource? IncidentRecordSource = null);

public sealed record UpdateIncidentRecordRequest(string Arn, string? Title = null, string? Summary = null, int? Impact = null, string? Status = null,
    string? ClientToken = null);

public sealed record EqualsCondition(IReadOnlyList<string>? StringValues = null, IReadOnlyList<int>? IntegerValues = null);

public sealed record Condition(DateTimeOffset? Before = null, DateTimeOffset? After = null,
    [property: JsonPropertyName("equals")] EqualsCondition? EqualTo = null);

public sealed record Filter(string Key, Condition Condition);

public sealed record IncidentRecordPage(IReadOnlyList<IncidentRecordSummary> IncidentRecordSummaries, string? NextToken);

public sealed record EventReference(string? Resource = null, string? RelatedItemId = null);

public sealed record TimelineEventSummary(string EventId, DateTimeOffset EventTime, string EventType, DateTimeOffset EventUpdatedTime,
    string IncidentRecordArn, IReadOnlyList<EventReference>? EventReferences = null);

public sealed record TimelineEvent(string EventId, DateTimeOffset EventTime, string EventType, string EventData, DateTimeOffset EventUpdatedTime,
    string IncidentRecordArn, IReadOnlyList<EventReference>? EventReferences = null);

public sealed record TimelineEventPage(IReadOnlyList<TimelineEventSummary> EventSummaries, string? NextToken);

public sealed record ItemToRemove(string Type, ItemValue Value);

public sealed record RelatedItemsUpdate(RelatedItem? ItemToAdd = null, ItemIdentifier? ItemToRemove = null);

public sealed record IncidentTemplate(string Title, int Impact, string? Summary = null, string? DedupeString = null,
    IReadOnlyDictionary<string, string>? IncidentTags = null);

public sealed record ResponsePlan(string Arn, string Name, IncidentTemplate IncidentTemplate, string? DisplayName = null);

public sealed record ResponsePlanSummary(string Arn, string Name, string? DisplayName = null);

public sealed record ResponsePlanPage(IReadOnlyList<ResponsePlanSummary> ResponsePlanSummaries, string? NextToken);

/// <summary>rest-json timestamps: epoch seconds as a JSON number (possibly fractional).</summary>
internal sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && Math.Abs(seconds) < 253_402_300_799)
            return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        throw new JsonException("A timestamp must be a number of seconds since the epoch.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteRawValue((value - DateTimeOffset.UnixEpoch).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
}
