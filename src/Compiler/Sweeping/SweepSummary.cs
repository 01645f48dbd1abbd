using System.Globalization;

namespace Policyc.Compiler.Sweeping;

/// <summary>A mean and a sample standard deviation over the seeds of one policy and scenario.</summary>
public readonly record struct Spread(double Mean, double StdDev, int N)
{
    public static Spread? Of(IEnumerable<double?> values)
    {
        var xs = values.OfType<double>().ToArray();
        if (xs.Length == 0)
            return null;
        double mean = xs.Average();
        double sd = xs.Length > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1)) : 0;
        return new Spread(mean, sd, xs.Length);
    }

    public string Format(string format) =>
        Mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + StdDev.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>One row of the summary table: a policy on a scenario, over its seeds.</summary>
public sealed record SweepSummaryRow(
    string Policy,
    string Scenario,
    int Seeds,
    IReadOnlyList<(string Verdict, int Count)> Verdicts,
    Spread? FilesPerSecond,
    Spread? CompletedS,
    Spread? LivelockOnsetS,
    Spread? LivelockFreePercent = null);

public static class SweepSummary
{
    public static IReadOnlyList<SweepSummaryRow> Of(IEnumerable<SweepRow> rows) =>
        SweepResults.Order(rows)
            .GroupBy(r => (r.Policy, r.Scenario))
            .Select(g => new SweepSummaryRow(
                g.Key.Policy,
                g.Key.Scenario,
                g.Count(),
                g.GroupBy(r => r.Verdict).OrderByDescending(v => v.Count()).ThenBy(v => v.Key, StringComparer.Ordinal)
                    .Select(v => (v.Key, v.Count())).ToArray(),
                Spread.Of(g.Select(r => (double?)r.FilesPerSecond)),
                Spread.Of(g.Select(r => r.CompletedS)),
                Spread.Of(g.Select(r => r.LivelockOnsetS)),
                Spread.Of(g.Select(r => r.LivelockFreePercent))))
            .ToArray();
}
