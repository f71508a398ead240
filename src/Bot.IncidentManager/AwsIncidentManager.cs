using System.Text.Json;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Incidents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.IncidentManager;

/// <summary>
/// AWS Systems Manager Incident Manager as the bot's incident tool. Incidents belong to the team whose response plan
/// they were started under (the plan's name is in the incident ARN: <c>incident-record/&lt;plan&gt;/&lt;id&gt;</c>).
/// </summary>
public sealed class AwsIncidentManager(IServiceProvider services, DirectoryCache directory, IOptions<IncidentManagerOptions> options,
    TeamSettings<IncidentTeamSettings> teams) : IExternalIncidents
{
    // A fresh typed client per call, so the HttpClientFactory can rotate handlers under this long-lived service.
    private SsmIncidentsClient Client => services.GetRequiredService<SsmIncidentsClient>();

    public const string SourceName = "aws-incident-manager";

    public string Source => SourceName;

    public bool Enabled => options.Value.Enabled;

    public bool CanStartFor(Team team) => options.Value.Enabled && teams.For(team).Plan is not null;

    public async Task<string> StartAsync(Team team, IncidentStart start, string clientToken, CancellationToken ct)
    {
        var related = start.LinkUrl is null
            ? null
            : new[] { new RelatedItem(new ItemIdentifier("OTHER", new ItemValue(Url: start.LinkUrl)), Plain.Cut(start.LinkTitle, 200)) };
        var raw = JsonSerializer.Serialize(new { summary = start.Summary, link = start.LinkUrl });
        var arn = await Refusing(() => Client.StartIncidentAsync(new StartIncidentRequest(teams.For(team).Plan!,
            new TriggerDetails(options.Value.TriggerSource, start.At, RawData: Plain.Cut(raw, 10_000)), Plain.Cut(start.Title, 200), start.Impact, related, clientToken), ct));
        try
        {
            await Client.UpdateIncidentRecordAsync(new UpdateIncidentRecordRequest(arn, Summary: Plain.Cut(start.Summary, 8000), ClientToken: clientToken + "-summary"), ct);
        }
        catch (IncidentManagerException ex) when (IsRefusal(ex))
        {
            // The incident exists: a summary it could not take (e.g. no UpdateIncidentRecord permission) does not undo that.
        }
        return arn;
    }

    public async Task<IncidentReport> ReadAsync(string externalId, CancellationToken ct)
    {
        var record = await Refusing(() => Client.GetIncidentRecordAsync(externalId, ct));
        return await ReportAsync(record.Arn, record.Title, record.Status, record.Impact, record.CreationTime, record.ResolvedTime, record.LastModifiedTime, ct);
    }

    /// <summary>A report from what a listing says (no last-modified time there: the state's own time orders it).</summary>
    public Task<IncidentReport> ReportAsync(IncidentRecordSummary summary, CancellationToken ct) =>
        ReportAsync(summary.Arn, summary.Title, summary.Status, summary.Impact, summary.CreationTime, summary.ResolvedTime, null, ct);

    public Task AddTimelineEventAsync(string externalId, DateTimeOffset at, string text, string clientToken, CancellationToken ct) =>
        // eventData is itself a JSON value: a custom event's text is a JSON string.
        Refusing(() => Client.CreateTimelineEventAsync(externalId, at, "Custom Event", JsonSerializer.Serialize(Plain.Cut(text, 11_000)), null, clientToken, ct));

    public Task ResolveAsync(string externalId, string clientToken, CancellationToken ct) =>
        Refusing(async () =>
        {
            await Client.UpdateIncidentRecordAsync(new UpdateIncidentRecordRequest(externalId, Status: "RESOLVED", ClientToken: clientToken), ct);
            return true;
        });

    /// <summary>Every event of the incident's timeline (pages of 100, at most 5 pages), each read for its text.</summary>
    public async Task<IReadOnlyList<ToolTimelineEvent>> ReadTimelineAsync(string externalId, CancellationToken ct)
    {
        var events = new List<ToolTimelineEvent>();
        string? next = null;
        for (var page = 0; page < 5; page++)
        {
            var listed = await Refusing(() => Client.ListTimelineEventsAsync(externalId, null, newestFirst: false, 100, next, ct));
            foreach (var summary in listed.EventSummaries)
            {
                var full = await Refusing(() => Client.GetTimelineEventAsync(externalId, summary.EventId, ct));
                events.Add(new ToolTimelineEvent(full.EventId, full.EventTime, TimelineText(full.EventType, full.EventData)));
            }
            if ((next = listed.NextToken) is null) break;
        }
        return events;
    }

    public Task AddRelatedLinkAsync(string externalId, string title, string url, string clientToken, CancellationToken ct) =>
        Refusing(async () =>
        {
            await Client.UpdateRelatedItemsAsync(externalId,
                new RelatedItemsUpdate(ItemToAdd: new RelatedItem(new ItemIdentifier("ANALYSIS", new ItemValue(Url: url)), Plain.Cut(title, 200))), clientToken, ct);
            return true;
        });

    /// <summary>A custom event's data is a JSON value (usually a string); other events carry JSON objects, shown as their text.</summary>
    private static string TimelineText(string type, string data)
    {
        try
        {
            using var json = JsonDocument.Parse(data);
            var text = json.RootElement.ValueKind == JsonValueKind.String ? json.RootElement.GetString()! : data;
            return type == "Custom Event" ? text : $"{type}: {text}";
        }
        catch (JsonException)
        {
            return data;
        }
    }

    public string? ConsoleUrl(string externalId) =>
        options.Value.ConsoleUrlTemplate.Replace("{region}", options.Value.Region, StringComparison.Ordinal)
            .Replace("{arn}", Uri.EscapeDataString(externalId), StringComparison.Ordinal);

    /// <summary>The response plan's name in an incident ARN, e.g. <c>payments</c> from <c>…:incident-record/payments/0a1b…</c>.</summary>
    public static string? PlanName(string incidentArn)
    {
        var marker = incidentArn.IndexOf(":incident-record/", StringComparison.Ordinal);
        if (marker < 0) return null;
        var rest = incidentArn[(marker + ":incident-record/".Length)..];
        var slash = rest.IndexOf('/');
        return slash > 0 ? rest[..slash] : null;
    }

    private async Task<IncidentReport> ReportAsync(string arn, string title, string status, int impact, DateTimeOffset created, DateTimeOffset? resolved,
        DateTimeOffset? modified, CancellationToken ct)
    {
        var plan = PlanName(arn);
        var snapshot = await directory.GetAsync(ct);
        var team = plan is null ? null : snapshot.Teams.FirstOrDefault(t => teams.For(t).Plan is { } r && r.EndsWith(":response-plan/" + plan, StringComparison.Ordinal));
        return new IncidentReport(SourceName, arn, Plain.Cut(title, IncidentWebhook.MaxTitle), null, Math.Clamp(impact, 1, 5),
            status == "RESOLVED" ? ReportedStatus.Resolved : ReportedStatus.Open, ConsoleUrl(arn), created, resolved, AsOf: modified, Team: team?.Key);
    }

    /// <summary>A 4xx other than throttling: the request itself was refused. Any 5xx (also a gateway's) and 429 may pass on a later try.</summary>
    private static bool IsRefusal(IncidentManagerException ex) =>
        ex is not IncidentManagerThrottlingException && (int)ex.Status is >= 400 and < 500 && ex.Status != System.Net.HttpStatusCode.TooManyRequests;

    /// <summary>Refusals a person can act on (validation, access, not found, quota, conflict) become plain words; throttling and 5xx stay retryable.</summary>
    private static async Task<T> Refusing<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (IncidentManagerException ex) when (IsRefusal(ex))
        {
            throw new IncidentToolRefusedException(ex.PlainWords, ex);
        }
    }

}
