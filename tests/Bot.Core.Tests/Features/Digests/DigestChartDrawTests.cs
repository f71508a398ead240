using Bot.Core.Features.Digests;
using SkiaSharp;

namespace Bot.Core.Tests.Features.Digests;

public sealed class DigestChartDrawTests
{
    [Fact]
    public void Draw_GivesAPngOfTheChartsSize_WithGapsForWeeksWithoutData()
    {
        var weeks = Enumerable.Range(41, 8).Select(w => new TrendWeek($"W{w}", w % 3 == 0 ? null : w * 0.5, w == 44 ? null : w * 2.0, w % 4)).ToArray();
        var png = DigestCharts.Draw("Payments <script>", weeks);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((DigestCharts.Width, DigestCharts.Height), (bitmap.Width, bitmap.Height));
        // Text is drawn with the fonts shipped beside the bot: the title row is not blank.
        var dark = 0;
        for (var x = 0; x < bitmap.Width; x++)
            for (var y = 0; y < 30; y++)
                if (bitmap.GetPixel(x, y).Red < 128) dark++;
        Assert.True(dark > 50, $"only {dark} dark pixels in the title row");
    }
}
