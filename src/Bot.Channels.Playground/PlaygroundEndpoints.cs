using System.Reflection;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Flows;
using Bot.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Playground;

/// <summary>The local chat page at <c>/</c> and its JSON API under <c>/playground/api</c>.</summary>
public static class PlaygroundEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxTextLength = 4000;

    public static IEndpointRouteBuilder MapPlayground(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<PlaygroundOptions>>().Value.Enabled) return app;

        var page = ReadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8")).AddEndpointFilter(LocalOnly).ExcludeFromDescription();

        var api = app.MapGroup("/playground/api").AddEndpointFilter(LocalOnly).AddEndpointFilter(LimitBody);
        api.MapGet("/directory", GetDirectoryAsync);
        api.MapGet("/conversations", GetConversationsAsync);
        api.MapGet("/entries", GetEntriesAsync);
        api.MapPost("/messages", SendAsync);
        api.MapPost("/actions", ActAsync);
        api.MapPost("/forms/{entryId:long}/submit", SubmitAsync);
        api.MapPost("/forms/{entryId:long}/cancel", CancelAsync);
        return app;
    }

    /// <summary>
    /// The page and its API answer callers on this machine only, addressed by a localhost name: whoever reaches the
    /// playground acts as anyone, and a page elsewhere must not reach it through a name that resolves here (DNS rebinding).
    /// </summary>
    private static async ValueTask<object?> LocalOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsLocal(context.HttpContext)
            ? await next(context)
            : TypedResults.Problem("The playground answers only on this machine: open it at http://localhost.", statusCode: StatusCodes.Status403Forbidden);

    /// <summary>A loopback caller (or none: an in-process server) that names this machine as localhost or a loopback address.</summary>
    public static bool IsLocal(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is not null && !System.Net.IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)) return false;
        var host = http.Request.Host.Host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    private static async ValueTask<object?> LimitBody(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.ContentLength > MaxBodyBytes)
            return TypedResults.Problem($"Request bodies are limited to {MaxBodyBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        return await next(context);
    }

    private static async Task<Ok<DirectoryView>> GetDirectoryAsync(BotDbContext db, CancellationToken ct)
    {
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var people = await db.People.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        return TypedResults.Ok(new DirectoryView(
            people.Select(p => new PersonView(p.Key, p.Name,
                teams.Where(t => t.Members.Contains(p.Key) || t.Managers.Contains(p.Key)).Select(t => t.Name).ToArray())).ToArray(),
            teams.Select(t => new TeamView(t.Key, t.Name, t.ChannelFor(PlaygroundChannel.ChannelKind))).ToArray()));
    }

    private static async Task<Results<Ok<ConversationView[]>, ProblemHttpResult>> GetConversationsAsync(
        string? @as, BotDbContext db, IOptions<PlaygroundOptions> options, CancellationToken ct)
    {
        if (await FindPersonAsync(db, @as, ct) is not { } person) return UnknownPerson(@as);
        return TypedResults.Ok(await ConversationsAsync(db, options.Value, person.Key, ct));
    }

    private static async Task<Results<JsonHttpResult<EntryView[]>, ProblemHttpResult>> GetEntriesAsync(
        string? @as, string? conversation, BotDbContext db, IOptions<PlaygroundOptions> options, CancellationToken ct)
    {
        if (await FindPersonAsync(db, @as, ct) is not { } person) return UnknownPerson(@as);
        if (!await CanSeeAsync(db, options.Value, person.Key, conversation, ct)) return UnknownConversation(conversation);

        var entries = await db.ConversationEntries.AsNoTracking()
            .Where(e => e.Channel == PlaygroundChannel.ChannelKind && e.ConversationId == conversation && (e.VisibleTo == null || e.VisibleTo == person.Key))
            .OrderByDescending(e => e.Id).Take(200).ToListAsync(ct);
        var views = entries.OrderBy(e => e.Id).Select(ToView).ToArray();
        return TypedResults.Json(views, PlaygroundJson.Options);
    }

    private static async Task<Results<Accepted<EntryView>, ProblemHttpResult>> SendAsync(
        SendRequest request, BotDbContext db, BotRouter router, PlaygroundChannel channel, IOptions<PlaygroundOptions> options, CancellationToken ct)
    {
        if (await FindPersonAsync(db, request.As, ct) is not { } person) return UnknownPerson(request.As);
        if (!await CanSeeAsync(db, options.Value, person.Key, request.Conversation, ct)) return UnknownConversation(request.Conversation);
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text)) return TypedResults.Problem("Type a message or a command such as /escalate.", statusCode: StatusCodes.Status400BadRequest);
        if (text.Length > MaxTextLength) return TypedResults.Problem($"Messages are limited to {MaxTextLength} characters.", statusCode: StatusCodes.Status400BadRequest);

        var conversation = request.Conversation!;
        var entry = await channel.AddAsync(conversation, EntryKind.PersonText, text, visibleTo: null, ct, authorKey: person.Key);
        var direct = conversation == PlaygroundChannel.DirectConversation(person.Key);
        if ((text.StartsWith('/') || direct) && Command.Parse(text) is { } command)
        {
            await router.HandleCommandAsync(Interaction(person, conversation, entry.Id), command, ct);
        }
        return TypedResults.Accepted((string?)null, ToView(entry));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ActAsync(ActionRequest request, BotDbContext db, BotRouter router, CancellationToken ct)
    {
        if (await FindPersonAsync(db, request.As, ct) is not { } person) return UnknownPerson(request.As);
        var entry = await db.ConversationEntries.AsNoTracking().FirstOrDefaultAsync(e =>
            e.Id == request.EntryId && e.Channel == PlaygroundChannel.ChannelKind && e.Kind == EntryKind.Message
            && (e.VisibleTo == null || e.VisibleTo == person.Key), ct);
        if (entry is null) return TypedResults.Problem("There is no such message.", statusCode: StatusCodes.Status404NotFound);

        var button = PlaygroundJson.ReadMessage(entry.Body)?.Blocks.OfType<ButtonsBlock>().SelectMany(b => b.Buttons)
            .FirstOrDefault(b => b.ActionId.ToString() == request.ActionId && b.Value == request.Value);
        if (button is null) return TypedResults.Problem("That message has no such button (it may have been updated).", statusCode: StatusCodes.Status400BadRequest);

        var messageRef = new MessageRef(PlaygroundChannel.ChannelKind, entry.ConversationId, entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await router.HandleActionAsync(Interaction(person, entry.ConversationId, entry.Id), new ButtonAction(button.ActionId, button.Value, messageRef), ct);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<SubmitResult>, JsonHttpResult<SubmitResult>, ProblemHttpResult>> SubmitAsync(
        long entryId, SubmitRequest request, BotDbContext db, BotRouter router, TimeProvider clock, CancellationToken ct)
    {
        if (await FindPersonAsync(db, request.As, ct) is not { } person) return UnknownPerson(request.As);
        if (request.Values is null) return TypedResults.Problem("Send the form's values.", statusCode: StatusCodes.Status400BadRequest);
        var entry = await FindFormAsync(db, entryId, person.Key, ct);
        if (entry is null) return TypedResults.Problem("There is no such form.", statusCode: StatusCodes.Status404NotFound);

        // Claim before processing: a double click or a retried request submits once.
        var claimed = await db.ConversationEntries.Where(e => e.Id == entryId && e.FormState == FormState.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FormState, FormState.Submitted).SetProperty(e => e.Revision, e => e.Revision + 1), ct);
        if (claimed == 0) return TypedResults.Problem("This form was already submitted.", statusCode: StatusCodes.Status409Conflict);

        var form = PlaygroundJson.ReadForm(entry.Body)!;
        var values = request.Values.Where(v => form.Fields.Any(f => f.Id == v.Key)).ToDictionary(v => v.Key, v => v.Value);
        var result = await router.HandleSubmissionAsync(Interaction(person, entry.ConversationId, entry.Id),
            new FormSubmission(form.FormId, values, form.PrivateState), ct);
        if (result.IsAccepted) return TypedResults.Ok(new SubmitResult(true, result.Errors));

        var now = clock.GetUtcNow();
        var shown = PlaygroundJson.Serialize(form.WithErrors(result.Errors, values));
        await db.ConversationEntries.Where(e => e.Id == entryId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FormState, FormState.Open).SetProperty(e => e.Body, shown)
                .SetProperty(e => e.UpdatedAt, now).SetProperty(e => e.Revision, e => e.Revision + 1), ct);
        return TypedResults.Json(new SubmitResult(false, result.Errors), statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CancelAsync(long entryId, SubmitRequest request, BotDbContext db, CancellationToken ct)
    {
        if (await FindPersonAsync(db, request.As, ct) is not { } person) return UnknownPerson(request.As);
        if (await FindFormAsync(db, entryId, person.Key, ct) is null) return TypedResults.Problem("There is no such form.", statusCode: StatusCodes.Status404NotFound);
        await db.ConversationEntries.Where(e => e.Id == entryId && e.FormState == FormState.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FormState, FormState.Closed).SetProperty(e => e.Revision, e => e.Revision + 1), ct);
        return TypedResults.NoContent();
    }

    private static Task<ConversationEntry?> FindFormAsync(BotDbContext db, long entryId, string personKey, CancellationToken ct) =>
        db.ConversationEntries.AsNoTracking().FirstOrDefaultAsync(e =>
            e.Id == entryId && e.Channel == PlaygroundChannel.ChannelKind && e.Kind == EntryKind.Form && e.VisibleTo == personKey, ct);

    private static Interaction Interaction(Bot.Core.Directory.Person person, string conversation, long entryId) =>
        new(PlaygroundChannel.ChannelKind, new Actor(person.Key, person.Name, person.Key),
            new ConversationAddress(PlaygroundChannel.ChannelKind, conversation), entryId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<Bot.Core.Directory.Person?> FindPersonAsync(BotDbContext db, string? key, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(key) ? null : await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == key, ct);

    private static async Task<ConversationView[]> ConversationsAsync(BotDbContext db, PlaygroundOptions options, string personKey, CancellationToken ct)
    {
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var channels = teams.Select(t => t.ChannelFor(PlaygroundChannel.ChannelKind)).OfType<string>()
            .Prepend(options.GeneralChannel).Distinct().Select(c => new ConversationView(c, c, false));
        return [.. channels, new ConversationView(PlaygroundChannel.DirectConversation(personKey), "Direct messages", true)];
    }

    private static async Task<bool> CanSeeAsync(BotDbContext db, PlaygroundOptions options, string personKey, string? conversation, CancellationToken ct) =>
        conversation is not null && (await ConversationsAsync(db, options, personKey, ct)).Any(c => c.Id == conversation);

    private static EntryView ToView(ConversationEntry e) => new(
        e.Id,
        e.Kind.ToString(),
        e.AuthorKey,
        e.VisibleTo is not null,
        e.Kind == EntryKind.Message ? PlaygroundJson.ReadMessage(e.Body) : null,
        e.Kind == EntryKind.Form ? PlaygroundJson.ReadForm(e.Body) : null,
        e.Kind == EntryKind.PersonText ? e.Body : null,
        e.FormState?.ToString(),
        e.CreatedAt,
        e.UpdatedAt,
        e.Revision);

    private static ProblemHttpResult UnknownPerson(string? key) =>
        TypedResults.Problem($"Unknown person '{key}': pick someone from the directory.", statusCode: StatusCodes.Status400BadRequest);

    private static ProblemHttpResult UnknownConversation(string? id) =>
        TypedResults.Problem($"Unknown conversation '{id}'.", statusCode: StatusCodes.Status400BadRequest);

    private static string ReadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Playground.index.html")
                           ?? throw new InvalidOperationException("The playground page is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
