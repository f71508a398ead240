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

    public bool Enabled => !string.IsNullOrWhiteSpace(Region);
}
