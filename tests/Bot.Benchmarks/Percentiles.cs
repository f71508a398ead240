using System.Globalization;

namespace Bot.Benchmarks;

public static class Percentiles
{
    /// <summary>One line: how many, and the minimum, median, 95th and 99th percentile and maximum.</summary>
    public static void Report(string what, IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-34} n={sorted.Length,4}  min {sorted[0],8:F1}  p50 {P(0.5),8:F1}  p95 {P(0.95),8:F1}  p99 {P(0.99),8:F1}  max {sorted[^1],8:F1}"));
    }
}
