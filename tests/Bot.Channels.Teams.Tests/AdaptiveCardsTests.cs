using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Channels.Teams;
using Bot.Core.Conversation;
using Bot.Testing;
using Json.Schema;

namespace Bot.Channels.Teams.Tests;

public sealed class AdaptiveCardsTests
{
    private static readonly Message Escalation = SampleMessages.EveryBlock;

    private static readonly Form RaiseForm = new(FormId.FromWire("escalation.raise"), "Escalate", [
        new FormField("summary", "What is wrong?", FieldKind.Multiline, Required: true, Initial: "checkout", MaxLength: 3000, Placeholder: "e.g. it broke"),
        new FormField("urgency", "How urgent?", FieldKind.Select, Required: true, Initial: "Now", Options: [new("Now", "Now"), new("Today", "Today")], Hint: "Pick one"),
        new FormField("owner", "Owner", FieldKind.Person, Error: "Pick someone from the team."),
        new FormField("due", "Due", FieldKind.Date, Initial: "2026-12-01"),
        new FormField("note", "Note", FieldKind.Text),
    ], "Escalate", "42");

    private static readonly (string, string)[] People = [("bea", "Bea Okafor"), ("kim", "Kim Laine")];

    [Fact]
    public void Message_Golden()
    {
        var card = AdaptiveCards.Render(Escalation);
        Assert.Equal("""
            {"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"TextBlock","text":"\uD83D\uDEA8 Escalation #7: checkout fails","wrap":true,"size":"Large","weight":"Bolder"},{"type":"FactSet","facts":[{"title":"Service","value":"Checkout"},{"title":"Urgency","value":"Now"}]},{"type":"TextBlock","text":"**What has been tried:**\nRestarted the pods","wrap":true},{"type":"TextBlock","text":"Paging Primary on-call (Bea Okafor)","wrap":true,"size":"Small","isSubtle":true},{"type":"Image","url":"https://bot.example.com/chart.png","altText":"Chart"}],"actions":[{"type":"Action.Execute","title":"Acknowledge","verb":"escalation.ack","data":{"actionId":"escalation.ack","value":"7"},"fallback":{"type":"Action.Submit","title":"Acknowledge","data":{"actionId":"escalation.ack","value":"7"}},"style":"positive"},{"type":"Action.Execute","title":"Resolve","verb":"escalation.resolve","data":{"actionId":"escalation.resolve","value":"7"},"fallback":{"type":"Action.Submit","title":"Resolve","data":{"actionId":"escalation.resolve","value":"7"}}}]}
            """, card.ToJsonString());
    }

    [Fact]
    public void HostileText_ShowsNoLink_InAnyTextOrFact_Golden()
    {
        var card = AdaptiveCards.Render(SampleMessages.HostileEverywhere);
        var texts = card["body"]!.AsArray().SelectMany(e => e!["facts"] is JsonArray facts
            ? facts.Select(f => (string)f!["value"]!)
            : [(string)e["text"]!]).ToArray();
        var shown = SampleMessages.Hostile.Replace("](", "]\u200B(", StringComparison.Ordinal);
        Assert.Equal([shown, shown, "**Summary:** " + shown, "Raised by " + shown], texts);
        Assert.DoesNotContain(texts, t => t.Contains("](", StringComparison.Ordinal));
    }

    /// <summary>What people write in experiments and digests reaches Teams as text: no markdown link survives.</summary>
    [Fact]
    public void FeatureMessages_ShowNoLinkFromHostileText()
    {
        Assert.All(SampleMessages.HostileFeatureMessages(), m =>
        {
            var card = AdaptiveCards.Render(m.Message).ToJsonString();
            Assert.True(card.Contains("evil.example", StringComparison.Ordinal), m.Name);
            Assert.False(card.Contains("](https://evil.example", StringComparison.Ordinal), m.Name);
        });
    }

    [Fact]
    public void Form_Golden()
    {
        var card = AdaptiveCards.Render(RaiseForm, People);
        var body = card["body"]!.AsArray();
        Assert.Equal(["TextBlock", "Input.Text", "Input.ChoiceSet", "TextBlock", "Input.ChoiceSet", "TextBlock", "Input.Date", "Input.Text"],
            body.Select(b => (string)b!["type"]!));
        Assert.Equal("""{"id":"summary","label":"What is wrong?","isRequired":true,"type":"Input.Text","isMultiline":true,"maxLength":3000,"value":"checkout","placeholder":"e.g. it broke","errorMessage":"What is wrong? is required."}""",
            body[1]!.ToJsonString());
        Assert.Equal("Now", (string)body[2]!["value"]!);
        Assert.Equal(["bea", "kim"], body[4]!["choices"]!.AsArray().Select(c => (string)c!["value"]!));
        Assert.Equal("Attention", (string)body[5]!["color"]!);
        Assert.Equal("Pick someone from the team.", (string)body[5]!["text"]!);
        Assert.Equal("2026-12-01", (string)body[6]!["value"]!);
        var submit = card["actions"]![0]!;
        Assert.Equal((AdaptiveCards.SubmitVerb, "escalation.raise", "42"), ((string)submit["verb"]!, (string)submit["data"]!["formId"]!, (string)submit["data"]!["state"]!));
        Assert.Equal("Action.Submit", (string)submit["fallback"]!["type"]!);
    }

    [Fact]
    public void DialogForm_Golden_SubmitsWithActionSubmit()
    {
        var card = AdaptiveCards.Render(RaiseForm, People, new JsonObject { ["owner"] = "aad-1", ["nonce"] = "n1" }, dialog: true);
        Assert.Equal("""{"type":"Action.Submit","title":"Escalate","data":{"formId":"escalation.raise","state":"42","context":{"owner":"aad-1","nonce":"n1"}}}""",
            Assert.Single(card["actions"]!.AsArray())!.ToJsonString());
    }

    [Fact]
    public void DialogLauncher_Golden_And_DialogAnswers()
    {
        var launcher = AdaptiveCards.DialogLauncher("Escalate", "Ana, your form is ready. Only you can open it.", "Open the form", new JsonObject { ["formId"] = "escalation.raise" });
        Assert.Equal("""
            {"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"TextBlock","text":"Escalate","wrap":true,"size":"Large","weight":"Bolder"},{"type":"TextBlock","text":"Ana, your form is ready. Only you can open it.","wrap":true}],"actions":[{"type":"Action.Submit","title":"Open the form","data":{"formId":"escalation.raise","msteams":{"type":"task/fetch"}}}]}
            """, launcher.ToJsonString());
        Assert.Equal("""{"task":{"type":"continue","value":{"title":"Escalate","width":"medium","height":"large","card":{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard"}}}}}""",
            AdaptiveCards.Dialog("Escalate", new JsonObject { ["type"] = "AdaptiveCard" }).ToJsonString());
        Assert.Equal("""{"task":{"type":"message","value":"Sent."}}""", AdaptiveCards.DialogMessage("Sent.").ToJsonString());
    }

    [Fact]
    public void OverLongMessage_IsShortenedUnderTeamsLimit_KeepingItsActions()
    {
        var builder = Message.Build("big").Header("Big");
        for (var i = 0; i < 400; i++) builder.Text(new string('x', 500));
        builder.Buttons(new Button(ActionId.FromWire("a.b"), "Go", "1"));
        var card = AdaptiveCards.Render(builder.Done());
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(card.ToJsonString()) <= AdaptiveCards.MaxCardBytes + 200);
        Assert.Single(card["actions"]!.AsArray());
        Assert.Contains("shortened", card["body"]!.AsArray()[^1]!["text"]!.GetValue<string>());
    }

    [SkippableFact]
    public void EveryCardShape_IsValidAdaptiveCard15()
    {
        Skip.If(AdaptiveCardSchema.Published is null, AdaptiveCardSchema.Absent);
        var schema = AdaptiveCardSchema.Published!;
        // The check has teeth: a TextBlock without its text is not a valid card.
        var broken = JsonDocument.Parse("""{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","wrap":"yes"}]}""").RootElement;
        Assert.False(schema.Evaluate(broken).IsValid);

        var cards = new[]
        {
            AdaptiveCards.Render(Escalation), AdaptiveCards.Render(RaiseForm, People), AdaptiveCards.Render(Message.Text("plain")),
            AdaptiveCards.Render(RaiseForm, People, new JsonObject { ["owner"] = "aad-1" }, dialog: true),
            AdaptiveCards.DialogLauncher("Escalate", "Ready.", "Open the form", new JsonObject { ["formId"] = "escalation.raise" }),
        };
        foreach (var card in cards) Assert.Null(AdaptiveCardSchema.Violations(card));
    }
}
