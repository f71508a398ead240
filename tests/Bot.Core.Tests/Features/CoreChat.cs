using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Features;

/// <summary>People using the bot on Core with a recording channel: type, click, submit, let time pass, read what arrived.</summary>
public sealed class CoreChat(CoreHarness core)
{
    public CoreHarness Core { get; } = core;

    public static Interaction As(string key) => new("playground", new Actor(key, key), new ConversationAddress("playground", "dm:" + key));

    public async Task CommandAsync(string person, string text)
    {
        await using var scope = Core.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleCommandAsync(As(person), Command.Parse(text)!, CancellationToken.None);
    }

    public async Task ClickAsync(string person, ActionId actionId, string value)
    {
        await using var scope = Core.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleActionAsync(As(person), new ButtonAction(actionId, value, null), CancellationToken.None);
    }

    public async Task<FormResult> SubmitAsync(string person, Form form, params (string Field, string? Value)[] values)
    {
        await using var scope = Core.Services.CreateAsyncScope();
        var all = form.Fields.ToDictionary(f => f.Id, f => f.Initial);
        foreach (var (field, value) in values) all[field] = value;
        var result = await scope.ServiceProvider.GetRequiredService<BotRouter>()
            .HandleSubmissionAsync(As(person), new FormSubmission(form.FormId, all, form.PrivateState), CancellationToken.None);
        // A turn that failed is never what a transcript expects: say so rather than read it as accepted.
        return result.Failed ? throw new InvalidOperationException("The turn failed: " + LastReply(person)) : result;
    }

    /// <summary>The last form opened for <paramref name="person"/>.</summary>
    public Form LastForm(string person) => Core.Channel.Of(nameof(IChatChannel.OpenFormAsync)).Last(c => c.To == person).Form!;

    /// <summary>Clicks a section's button on the draft and fills its form.</summary>
    public async Task<FormResult> WriteAsync(string person, long review, string section, params (string Field, string? Value)[] values)
    {
        await ClickAsync(person, ReviewMessages.EditOf(section), ReviewForms.State(review, section));
        return await SubmitAsync(person, LastForm(person), values);
    }

    /// <summary>Moves the clock to <paramref name="at"/> and performs every reminder due by then, as the scheduler does.</summary>
    public async Task AtAsync(DateTimeOffset at)
    {
        if (at > Core.Clock.GetUtcNow()) Core.Clock.SetUtcNow(at);
        await RunDueAsync();
    }

    public async Task RunDueAsync()
    {
        var runner = Core.Services.GetRequiredService<ReminderRunner>();
        while (await runner.RunDueAsync(CancellationToken.None) > 0) { }
    }

    public IReadOnlyList<Message> DirectMessages(string person) =>
        Core.Channel.Of(nameof(IChatChannel.DirectMessageAsync)).Where(c => c.To == person).Select(c => c.Message!).ToArray();

    public IReadOnlyList<Message> Posts(string conversation) =>
        Core.Channel.Of(nameof(IChatChannel.PostAsync)).Where(c => c.Conversation == conversation).Select(c => c.Message!).ToArray();

    public IReadOnlyList<Message> Updates() => Core.Channel.Of(nameof(IChatChannel.UpdateAsync)).Select(c => c.Message!).ToArray();

    public string LastReply(string person) =>
        Text(Core.Channel.Of(nameof(IChatChannel.ReplyPrivatelyAsync)).Last(c => c.To == person).Message!);

    public static string Text(Message m) => Testing.Conformance.SeenMessage.ReadableText(m);

    public Task<Review> ReviewAsync() =>
        Core.WithDbAsync(db => db.Reviews.Include(r => r.Contributions).Include(r => r.Timeline).Include(r => r.ActionItems).AsSplitQuery().SingleAsync());

    public Task<List<Reminder>> PendingAsync(string kind) =>
        Core.WithDbAsync(db => db.Reminders.Where(r => r.Kind == kind && r.Status == ReminderStatus.Pending).OrderBy(r => r.DueAt).ToListAsync());

    /// <summary>A Checkout incident reported open at <paramref name="opened"/> and resolved at <paramref name="resolved"/>, with Bea on it.</summary>
    public async Task<long> IncidentAsync(DateTimeOffset opened, DateTimeOffset resolved, int impact = 2, string? onIt = "bea")
    {
        Core.Clock.SetUtcNow(opened);
        var report = new IncidentReport("webhook", "PD-" + opened.Ticks.ToString(CultureInfo.InvariantCulture), "Checkout 500s", "checkout", impact,
            ReportedStatus.Open, null, opened, null);
        var (_, incident) = await Core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report, opened, CancellationToken.None));
        if (onIt is not null) await ClickAsync(onIt, IncidentMessages.OnIt, incident.Id.ToString(CultureInfo.InvariantCulture));
        await RunDueAsync();
        Core.Clock.SetUtcNow(resolved);
        await Core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report with { Status = ReportedStatus.Resolved, ResolvedAt = resolved, AsOf = resolved },
            resolved, CancellationToken.None));
        await RunDueAsync();
        return incident.Id;
    }
}
