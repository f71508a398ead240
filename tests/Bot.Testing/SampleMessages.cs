using Bot.Core.Conversation;

namespace Bot.Testing;

/// <summary>One message of every block kind, shared by the renderers' golden tests so each channel renders the same input.</summary>
public static class SampleMessages
{
    public static Message EveryBlock { get; } = Message.Build("Escalation #7 for Payments")
        .Header("🚨 Escalation #7: checkout fails")
        .Fields(new Field("Service", "Checkout"), new Field("Urgency", "Now"))
        .Text("*What has been tried:*\nRestarted the pods")
        .Context("Paging Primary on-call (Bea Okafor)")
        .Buttons(new Button("escalation.ack", "Acknowledge", "7", ButtonStyle.Primary), new Button("escalation.resolve", "Resolve", "7", ButtonStyle.Danger))
        .Image("https://bot.example.com/chart.png", "Chart")
        .Done();

    /// <summary>What people and tools write, in every block that shows text: mentions, disguised links, markup, entities.</summary>
    public const string Hostile = "<!channel> <https://evil.example/sso|Open runbook> [Open runbook](https://evil.example) <@U0LEE00004> & &amp; <b>bold</b>";

    public static Message HostileEverywhere { get; } = Message.Build("Escalation #7: " + Hostile)
        .Header(Hostile)
        .Fields(new Field("Summary", Hostile))
        .Text("*Summary:* " + Hostile)
        .Context("Raised by " + Hostile)
        .Done();
}
