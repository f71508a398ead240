namespace Bot.IncidentManager;

/// <summary>The <c>IncidentManager</c> section: where the <c>ssm-incidents</c> API is and which Region signs requests.</summary>
public sealed class IncidentManagerOptions
{
    public const string Section = "IncidentManager";

    /// <summary>A Region of the replication set, e.g. <c>eu-west-1</c>; requests are signed for it.</summary>
    public string? Region { get; set; }

    /// <summary>Overrides the endpoint <c>https://ssm-incidents.{Region}.amazonaws.com/</c> (VPC endpoints, tests).</summary>
    public Uri? ServiceUrl { get; set; }

    public Uri Endpoint => ServiceUrl ?? new Uri($"https://ssm-incidents.{Region}.amazonaws.com/");

    /// <summary>SNS topics whose notifications are accepted (ARNs); a message from any other topic is refused.</summary>
    public List<string> SnsTopicArns { get; set; } = [];

    /// <summary>
    /// Hosts besides AWS's <c>sns.&lt;region&gt;.amazonaws.com</c> that signing certificates may come from. Empty in
    /// production; tests list a loopback host (plain http is accepted only for loopback hosts listed here).
    /// </summary>
    public List<string> SnsExtraCertificateHosts { get; set; } = [];

    /// <summary>The EventBridge API destination's secret, sent in <see cref="EventBridgeSecretHeader"/>; the endpoint is off while empty.</summary>
    public string? EventBridgeSecret { get; set; }

    public string EventBridgeSecretHeader { get; set; } = "X-Bot-Secret";

    /// <summary>How often the reconciliation lists incident records (whole minutes that divide an hour, or whole hours that divide a day).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far back the first reconciliation looks for incidents.</summary>
    public TimeSpan ReconcileLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The trigger source of incidents started from chat (at most 50 characters, not starting with "aws.").</summary>
    public string TriggerSource { get; set; } = "chat.ops-culture-bot";

    /// <summary>Where a person opens an incident: <c>{region}</c> and <c>{arn}</c> (escaped) are filled in.</summary>
    public string ConsoleUrlTemplate { get; set; } = "https://{region}.console.aws.amazon.com/systems-manager/incidents/home?region={region}#/incident-record?arn={arn}";

    public int MaxBodyBytes { get; set; } = 300 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Region);

    public bool SnsEnabled => Enabled && SnsTopicArns.Count > 0;

    public bool EventBridgeEnabled => Enabled && !string.IsNullOrEmpty(EventBridgeSecret);
}
