using System.Globalization;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using ScottPlot;

namespace Bot.Core.Features.Digests;

/// <summary>One week of the digest's trend chart; null where the week had nothing to measure.</summary>
public sealed record TrendWeek(string Label, double? AcknowledgeMinutes, double? RecoveryMinutes, int Incidents);

/// <summary>
/// The digest's 8-week trend (time to acknowledge and MTTR, with incidents per week), drawn as a PNG. Its address is an
/// unguessable, expiring id under <c>/charts/{id}.png</c>, since Slack and Teams fetch images by URL; without a public
/// address it is a path a local page (the playground) can load, and Slack gets the picture as a file instead.
/// </summary>
public sealed class DigestCharts(SignedLinks links)
{
    public const string Purpose = "digest-chart";
    public const int Width = 800;
    public const int Height = 400;
    public const int Weeks = 8;
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>The chart's address for the team's week ending with <paramref name="window"/>.</summary>
    public async Task<string> AddressAsync(Team team, DigestWindow window, CancellationToken ct) =>
        links.Address($"charts/{await links.IdAsync(Purpose, Payload(team.Key, window), Lifetime, ct)}.png");

    /// <summary>Whether an address can be fetched by the platforms (it is under the public base URL).</summary>
    public static bool IsPublic(string address) =>
        // On Unix "/charts/…" parses as an absolute file: URI, so the scheme decides.
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    /// <summary>The PNG behind an id; null for an id that is malformed, tampered with, expired or names no team.</summary>
    public async Task<byte[]?> RenderAsync(BotDbContext db, string id, CancellationToken ct)
    {
        if (await links.ReadIdAsync(Purpose, id, ct) is not { } payload) return null;
        var parts = payload.Split('/');
        if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)) return null;
        var teamKey = parts[0];
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == teamKey, ct) is not { } team) return null;
        var window = DigestWeeks.Containing(DateTimeOffset.FromUnixTimeSeconds(end).AddTicks(-1), team.TimeZone);
        return Draw(team.Name, await TrendAsync(db, team, window, ct));
    }

    public static async Task<byte[]> RenderAsync(BotDbContext db, Team team, DigestWindow window, CancellationToken ct) =>
        Draw(team.Name, await TrendAsync(db, team, window, ct));

    /// <summary>The eight weeks up to and including <paramref name="window"/>, oldest first, from two filtered queries.</summary>
    public static async Task<IReadOnlyList<TrendWeek>> TrendAsync(BotDbContext db, Team team, DigestWindow window, CancellationToken ct)
    {
        var weeks = DigestWeeks.Preceding(window, team.TimeZone, Weeks - 1).Reverse().Append(window).ToArray();
        var escalations = await EscalationFacts.RaisedAsync(db, team.Key, weeks[0].From, window.To, ct);
        var incidents = await IncidentFacts.OpenedAsync(db, team.Key, weeks[0].From, window.To, ct);
        return weeks.Select(w =>
        {
            var e = escalations.Where(x => x.RaisedAt >= w.From && x.RaisedAt < w.To).Select(x => (x.RaisedAt, x.AcknowledgedAt));
            var i = incidents.Where(x => x.OpenedAt >= w.From && x.OpenedAt < w.To).ToArray();
            return new TrendWeek(w.Label(team.TimeZone)[5..], DigestMetrics.Percentile(DigestMetrics.Minutes(e), 0.5),
                DigestMetrics.Percentile(DigestMetrics.Minutes(i.Select(x => (x.OpenedAt, x.ResolvedAt))), 0.5), i.Length);
        }).ToArray();
    }

    /// <summary>Lines for the two medians (a gap where a week had none), bars for incidents on the right axis.</summary>
    public static byte[] Draw(string teamName, IReadOnlyList<TrendWeek> weeks)
    {
        ChartFonts.EnsureLoaded();
        var x = Enumerable.Range(0, weeks.Count).Select(i => (double)i).ToArray();
        using var plot = new Plot();
        plot.Title($"{teamName}: the last {weeks.Count} weeks");
        var bars = plot.Add.Bars(x, weeks.Select(w => (double)w.Incidents).ToArray());
        bars.Axes.YAxis = plot.Axes.Right;
        bars.Color = Colors.SteelBlue.WithAlpha(0.35);
        bars.LegendText = "Incidents";
        foreach (var bar in bars.Bars) bar.Size = 0.6;
        var ack = plot.Add.Scatter(x, weeks.Select(w => w.AcknowledgeMinutes ?? double.NaN).ToArray());
        ack.LegendText = "Time to acknowledge, median (min)";
        ack.LineWidth = 2;
        ack.MarkerSize = 7;
        var mttr = plot.Add.Scatter(x, weeks.Select(w => w.RecoveryMinutes ?? double.NaN).ToArray());
        mttr.LegendText = "MTTR, median (min)";
        mttr.LineWidth = 2;
        mttr.MarkerSize = 7;
        plot.Axes.Left.Label.Text = "Minutes";
        plot.Axes.Right.Label.Text = "Incidents";
        plot.Axes.Bottom.SetTicks(x, weeks.Select(w => w.Label).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsX(-0.5, weeks.Count - 0.5);
        var minutes = weeks.SelectMany(w => new[] { w.AcknowledgeMinutes, w.RecoveryMinutes }).OfType<double>().DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(10, minutes * 1.2), plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(4, weeks.Max(w => w.Incidents) * 1.2 + 1), plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static string Payload(string teamKey, DigestWindow window) =>
        teamKey + "/" + window.To.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The fonts shipped with the bot: a host with no fonts installed would draw a chart without any text.</summary>
    private static class ChartFonts
    {
        private static readonly Lazy<bool> Loaded = new(() =>
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "Fonts");
            var regular = Path.Combine(folder, "DejaVuSans.ttf");
            var bold = Path.Combine(folder, "DejaVuSans-Bold.ttf");
            if (!File.Exists(regular) || !File.Exists(bold)) return false;
            Fonts.AddFontFile("BotSans", regular, bold: false, italic: false);
            Fonts.AddFontFile("BotSans", bold, bold: true, italic: false);
            Fonts.Default = "BotSans";
            return true;
        });

        public static void EnsureLoaded() => _ = Loaded.Value;
    }
}
