using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Core.Conversation;
using Bot.Testing;

namespace Bot.Channels.Slack.Tests;

public sealed class SlackBlockKitTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void HostileText_IsShownAsWritten_NeverAMentionOrADisguisedLink_Golden()
    {
        var (blocks, text) = SlackBlockKit.Render(SampleMessages.HostileEverywhere);
        const string shown = "&lt;!channel&gt; &lt;https://evil.example/sso|Open runbook&gt; [Open runbook](https://evil.example) &lt;@U0LEE00004&gt; &amp; &amp;amp; &lt;b&gt;bold&lt;/b&gt;";
        Assert.Equal("Escalation #7: " + shown, text);
        var relaxed = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        Assert.Equal($$$"""
            [{"type":"header","text":{"type":"plain_text","text":"{{{SampleMessages.Hostile}}}","emoji":true}},{"type":"section","fields":[{"type":"mrkdwn","text":"*Summary*\n{{{shown}}}"}]},{"type":"section","text":{"type":"mrkdwn","text":"*Summary:* {{{shown}}}"}},{"type":"context","elements":[{"type":"mrkdwn","text":"Raised by {{{shown}}}"}]}]
            """, blocks.ToJsonString(relaxed));
        // A plain_text header never reads mentions; no mrkdwn text keeps an angle bracket.
        Assert.DoesNotContain(blocks.Skip(1), b => b!.ToJsonString(relaxed).Contains('<') || b.ToJsonString(relaxed).Contains('>'));
    }

    [Fact]
    public void TheReplyInAMessagesThread_ShowsHostileNamesAsWritten_Golden()
    {
        var escalation = new Bot.Core.Features.Escalation.Escalation { Id = 7, RaisedByName = SampleMessages.Hostile };
        var team = new Bot.Core.Directory.Team { Key = "payments", Name = "Payments " + SampleMessages.Hostile };
        var (blocks, text) = SlackBlockKit.Render(Bot.Core.Features.Escalation.EscalationMessages.AskedFromHere(escalation, team));
        const string shown = "&lt;!channel&gt; &lt;https://evil.example/sso|Open runbook&gt; [Open runbook](https://evil.example) &lt;@U0LEE00004&gt; &amp; &amp;amp; &lt;b&gt;bold&lt;/b&gt;";
        var relaxed = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        Assert.Equal($$$"""
            [{"type":"section","text":{"type":"mrkdwn","text":"\uD83D\uDE4B {{{shown}}} asked *Payments {{{shown}}}* for help about this message: escalation *#7*. Their on-call has been paged; follow it in Payments {{{shown}}}'s channel."}}]
            """, blocks.ToJsonString(relaxed));
        Assert.Equal($"{shown} asked Payments {shown} for help about this: escalation #7", text);
    }

    /// <summary>What people write in experiments and digests reaches Slack as text: no mention, no link, no markup.</summary>
    [Fact]
    public void FeatureMessages_ShowHostileTextAsWritten()
    {
        // Slack reads markup in mrkdwn texts and the notification text; plain_text (headers, buttons) shows as written.
        static IEnumerable<string> Mrkdwn(JsonNode? node) => node switch
        {
            JsonObject o when o["type"]?.GetValue<string>() == "mrkdwn" => [o["text"]!.GetValue<string>()],
            JsonObject o => o.SelectMany(p => Mrkdwn(p.Value)),
            JsonArray a => a.SelectMany(Mrkdwn),
            _ => [],
        };
        Assert.All(SampleMessages.HostileFeatureMessages(), m =>
        {
            var (blocks, text) = SlackBlockKit.Render(m.Message);
            var shown = string.Join("\n", Mrkdwn(blocks).Append(text));
            Assert.True(shown.Contains("&lt;!channel&gt;", StringComparison.Ordinal), m.Name);
            Assert.False(shown.Contains("<!channel>", StringComparison.Ordinal), m.Name);
            Assert.False(shown.Contains("<https://evil.example", StringComparison.Ordinal), m.Name);
            Assert.False(shown.Contains("<@U0LEE", StringComparison.Ordinal), m.Name);
            Assert.False(shown.Contains("<b>", StringComparison.Ordinal), m.Name);
        });
    }

    [Fact]
    public void Message_Golden()
    {
        var (blocks, text) = SlackBlockKit.Render(SampleMessages.EveryBlock);
        Assert.Equal("Escalation #7 for Payments", text);
        Assert.Equal("""
            [
              {
                "type": "header",
                "text": {
                  "type": "plain_text",
                  "text": "\uD83D\uDEA8 Escalation #7: checkout fails",
                  "emoji": true
                }
              },
              {
                "type": "section",
                "fields": [
                  {
                    "type": "mrkdwn",
                    "text": "*Service*\nCheckout"
                  },
                  {
                    "type": "mrkdwn",
                    "text": "*Urgency*\nNow"
                  }
                ]
              },
              {
                "type": "section",
                "text": {
                  "type": "mrkdwn",
                  "text": "*What has been tried:*\nRestarted the pods"
                }
              },
              {
                "type": "context",
                "elements": [
                  {
                    "type": "mrkdwn",
                    "text": "Paging Primary on-call (Bea Okafor)"
                  }
                ]
              },
              {
                "type": "actions",
                "elements": [
                  {
                    "type": "button",
                    "action_id": "escalation.ack",
                    "text": {
                      "type": "plain_text",
                      "text": "Acknowledge",
                      "emoji": true
                    },
                    "value": "7",
                    "style": "primary"
                  },
                  {
                    "type": "button",
                    "action_id": "escalation.resolve",
                    "text": {
                      "type": "plain_text",
                      "text": "Resolve",
                      "emoji": true
                    },
                    "value": "7",
                    "style": "danger"
                  }
                ]
              },
              {
                "type": "image",
                "image_url": "https://bot.example.com/chart.png",
                "alt_text": "Chart"
              }
            ]
            """, blocks.ToJsonString(Indented).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Modal_Golden()
    {
        var form = new Form(FormId.FromWire("escalation.raise"), "Escalate", [
            new FormField("summary", "What is wrong?", FieldKind.Multiline, Required: true, Initial: "checkout", MaxLength: 3000),
            new FormField("urgency", "How urgent?", FieldKind.Select, Required: true, Initial: "Now", Options: [new("Now", "Now"), new("Today", "Today")]),
            new FormField("owner", "Owner", FieldKind.Person),
            new FormField("due", "Due", FieldKind.Date, Initial: "2026-12-01"),
        ], "Escalate", "42");

        var view = SlackBlockKit.Modal(form);
        Assert.Equal("modal", view.Str("type"));
        Assert.Equal("escalation.raise", view.Str("callback_id"));
        Assert.Equal("42", view.Str("private_metadata"));
        var blocks = view["blocks"]!.AsArray();
        Assert.Equal(["summary", "urgency", "owner", "due"], blocks.Select(b => b.Str("block_id")));
        Assert.All(blocks, b => Assert.Equal("input", b.Str("type")));
        Assert.False(blocks[0]!["optional"]!.GetValue<bool>());
        Assert.True(blocks[2]!["optional"]!.GetValue<bool>());
        Assert.Equal("""{"action_id":"value","type":"plain_text_input","multiline":true,"max_length":3000,"initial_value":"checkout"}""", blocks[0]!["element"]!.ToJsonString());
        Assert.Equal("Now", blocks[1].Str("element", "initial_option", "value"));
        Assert.Equal("users_select", blocks[2].Str("element", "type"));
        Assert.Equal("2026-12-01", blocks[3].Str("element", "initial_date"));
    }

    [Fact]
    public void SubmittedValues_AreReadByFieldId()
    {
        var view = JsonNode.Parse("""
            {"state":{"values":{
              "summary":{"value":{"type":"plain_text_input","value":"it broke"}},
              "urgency":{"value":{"type":"static_select","selected_option":{"value":"Now"}}},
              "owner":{"value":{"type":"users_select","selected_user":"U123"}},
              "due":{"value":{"type":"datepicker","selected_date":"2026-12-01"}},
              "empty":{"value":{"type":"static_select","selected_option":null}}}}}
            """)!.AsObject();
        var values = SlackBlockKit.Values(view);
        Assert.Equal("it broke", values["summary"]);
        Assert.Equal("Now", values["urgency"]);
        Assert.Equal("U123", values["owner"]);
        Assert.Equal("2026-12-01", values["due"]);
        Assert.Null(values["empty"]);
    }

    [Fact]
    public void OverLongAndOverManyContent_StaysWithinSlackLimits()
    {
        var builder = Message.Build(new string('f', 5000))
            .Header(new string('h', 400) + "\nsecond line")
            .Text(string.Join("\n", Enumerable.Repeat(new string('t', 99), 100)))
            .Fields(Enumerable.Range(0, 23).Select(i => new Field("Label " + i, new string('v', 2500))).ToArray())
            .Context(new string('c', 4000))
            .Buttons(Enumerable.Range(0, 30).Select(i => new Button(ActionId.FromWire("t.a" + i), new string('b', 100), "v" + i)).ToArray());
        for (var i = 0; i < 60; i++) builder.Text("more " + i);

        var (blocks, text) = SlackBlockKit.Render(builder.Done());

        Assert.Equal(4000, text.Length);
        Assert.True(blocks.Count <= SlackBlockKit.MaxMessageBlocks, $"{blocks.Count} blocks");
        Assert.Equal("actions", blocks[^1].Str("type"));
        Assert.Contains(blocks, b => b.Str("type") == "context" && b!["elements"]![0].Str("text")!.Contains("more parts not shown"));
        var header = blocks[0].Str("text", "text")!;
        Assert.Equal(SlackBlockKit.MaxHeader, header.Length);
        Assert.EndsWith("…", header);
        Assert.DoesNotContain('\n', header);
        foreach (var block in blocks)
        {
            if (block.Str("text", "text") is { } t) Assert.True(t.Length <= SlackBlockKit.MaxText);
            foreach (var field in block!["fields"]?.AsArray() ?? []) Assert.True(field.Str("text")!.Length <= SlackBlockKit.MaxFieldText);
            Assert.True((block["fields"]?.AsArray().Count ?? 0) <= SlackBlockKit.MaxFields);
            foreach (var element in block["elements"]?.AsArray() ?? [])
            {
                if (element.Str("type") == "button") Assert.True(element.Str("text", "text")!.Length <= SlackBlockKit.MaxButtonLabel);
                else Assert.True(element.Str("text")!.Length <= SlackBlockKit.MaxText);
            }
            Assert.True((block["elements"]?.AsArray().Count ?? 0) <= SlackBlockKit.MaxButtons);
        }
        // The long text was split, not dropped: its lines are all still there.
        var sections = blocks.Where(b => b.Str("type") == "section" && b.Str("text", "text")?.StartsWith('t') == true).ToArray();
        Assert.Equal(100, sections.Sum(s => s.Str("text", "text")!.Split('\n').Length));
    }

    [Fact]
    public void OverLongModal_StaysWithinSlackLimits()
    {
        var form = new Form(FormId.FromWire("t.f"), "A title far longer than Slack allows", [
            new FormField("pick", new string('l', 3000), FieldKind.Select,
                Options: Enumerable.Range(0, 150).Select(i => new FormOption("v" + i, new string('o', 100))).ToArray(), Placeholder: new string('p', 200)),
            new FormField("text", "Text", FieldKind.Text, Initial: new string('i', 5000)),
        ], "A submit label that is too long");

        var view = SlackBlockKit.Modal(form);
        Assert.Equal(SlackBlockKit.MaxModalTitle, view.Str("title", "text")!.Length);
        Assert.Equal(SlackBlockKit.MaxModalTitle, view.Str("submit", "text")!.Length);
        var pick = view["blocks"]![0]!;
        Assert.Equal(2000, pick.Str("label", "text")!.Length);
        Assert.Equal(SlackBlockKit.MaxOptions, pick["element"]!["options"]!.AsArray().Count);
        Assert.All(pick["element"]!["options"]!.AsArray(), o => Assert.True(o.Str("text", "text")!.Length <= SlackBlockKit.MaxOptionText));
        Assert.Equal(SlackBlockKit.MaxPlaceholder, pick.Str("element", "placeholder", "text")!.Length);
        Assert.Equal(SlackBlockKit.MaxText, view["blocks"]![1].Str("element", "initial_value")!.Length);
    }
}
