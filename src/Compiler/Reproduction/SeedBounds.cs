using System.Globalization;
using System.Text.Json.Serialization;
using Policyc.Runtime.Reporting;

namespace Policyc.Compiler.Reproduction;

/// <summary>One bound of the reproduction: what it asks for, what the run measured, and whether it holds.</summary>
public sealed record BoundCheck(string Bound, string Simulated, bool Met);

/// <summary>
/// The bounds within which a run on the report's machine counts as reproducing it
/// (docs/reproducing-the-seed.md, "Measured against the report"). The report is one snapshot of one
/// machine, so each of its figures gets a range rather than a target: the livelock and how it ended,
/// the state during the hour, and what the CPU and kswapd did. Every value checked is the run's own.
/// </summary>
public static class SeedBounds
{
    /// <summary>The operator's command that ended the report's livelock.</summary>
    const string DropCaches = "drop_caches 2";
    /// <summary>How soon after the drop the livelock must end, in virtual seconds.</summary>
    const double RecoveryWithinS = 10;
    static readonly string[] SlabOrder = ["xfs_inode", "dentry", "kmalloc-64"];

    /// <summary>Runs on the report's machine (<see cref="SeedReport.AppliesTo"/>).</summary>
    public static bool AppliesTo(RunReport report) => SeedReport.AppliesTo(report);

    /// <summary>How many bounds <see cref="Check"/> gives.</summary>
    public static int Count => TheLivelock.Length + DuringTheLivelock.Length;

    public static IReadOnlyList<BoundCheck> Check(RunReport report)
    {
        double? drop = report.Events
            .FirstOrDefault(e => e.Kind == "operator" && e.Detail.StartsWith(DropCaches, StringComparison.Ordinal))?.AtS;
        var checks = new List<BoundCheck>(Count);
        foreach (var (bound, measure) in TheLivelock)
        {
            var (simulated, met) = measure(report, drop);
            checks.Add(new(bound, simulated, met));
        }
        foreach (var (bound, measure) in DuringTheLivelock)
        {
            var (simulated, met) = report.DuringLivelock is { } during ? measure(during) : ("no livelock window", false);
            checks.Add(new(bound, simulated, met));
        }
        return checks;
    }

    /// <summary>The bounds on the livelock and its end: each measures the run, given when the drop came (if it did).</summary>
    static readonly (string Bound, Func<RunReport, double?, (string Simulated, bool Met)> Measure)[] TheLivelock =
    [
        ("verdict livelock", (r, _) => (r.Verdict, r.Verdict == "livelock")),
        ($"onset before the {DropCaches}", (r, drop) => r.Livelock.OnsetS is { } onset
            ? (Seconds(onset) + (drop is { } d ? $" ({DropCaches} at {Seconds(d)})" : $" (no {DropCaches})"), onset < drop)
            : ("no livelock", false)),
        ($"recovery within {RecoveryWithinS:0} s of the {DropCaches}", (r, drop) => r.Livelock.RecoveredS is { } recovered
            ? ($"{Seconds(recovered)}, ended by {r.Livelock.EndedBy ?? "an unknown cause"}",
               r.Livelock.EndedBy == DropCaches && recovered - drop is >= 0 and <= RecoveryWithinS)
            : ("not recovered", false)),
        ("the rm completes after it", (r, drop) => r.Progress.CompletedS is { } done
            ? ($"completed at {Seconds(done)}", done > drop)
            : ("not completed", false)),
    ];

    /// <summary>The bounds on the livelock's window: each measures the window and says whether it holds.</summary>
    static readonly (string Bound, Func<Snapshot, (string Simulated, bool Met)> Measure)[] DuringTheLivelock =
    [
        ("free memory 12-25% of total", w => ShareWithin(w.Memory.FreeKb, w.Memory.TotalKb, 12, 25)),
        ("swap free below 1% of swap", w => ShareWithin(w.Memory.SwapFreeKb, w.Memory.SwapTotalKb, 0, 1, upperOpen: true)),
        ("cached below 1% of total", w => ShareWithin(w.Memory.CachedKb, w.Memory.TotalKb, 0, 1, upperOpen: true)),
        ("slabtop order " + string.Join(", ", SlabOrder), w =>
        {
            var top = w.Slab.OrderByDescending(s => s.SizeKb).Take(SlabOrder.Length).Select(s => s.Name).ToArray();
            return (string.Join(", ", top), top.SequenceEqual(SlabOrder));
        }),
        ("xfs_inode at least 70% of used memory", w =>
            ShareWithin(w.Slab.FirstOrDefault(s => s.Name == "xfs_inode")?.SizeKb ?? 0, w.Memory.UsedKb, 70, 100)),
        ("top profile symbol scan_swap_map at 30-60%", w =>
        {
            double scanSwapMap = w.Profile.FirstOrDefault(p => p.Symbol == "scan_swap_map")?.Percent ?? 0;
            return w.Profile.MaxBy(p => p.Percent) switch
            {
                null => ("no profile", false),
                { Symbol: "scan_swap_map" } => ($"scan_swap_map {Percent(scanSwapMap)}", scanSwapMap is >= 30 and <= 60),
                var top => ($"{top.Symbol} {Percent(top.Percent)}; scan_swap_map {Percent(scanSwapMap)}", false),
            };
        }),
        ("deadlock message 2-10 a second", w =>
        {
            double rate = w.Messages.FirstOrDefault(m => m.Text == SeedReport.DeadlockMessage)?.PerSecond ?? 0;
            return ($"{rate.ToString("0.00", Invariant)}/s", rate is >= 2 and <= 10);
        }),
        ("kswapd frees no slab objects", w => ($"{w.Kswapd.SlabObjectsFreed.ToString(Invariant)} freed", w.Kswapd.SlabObjectsFreed == 0)),
    ];

    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    static string Seconds(double seconds) => seconds.ToString("0.0", Invariant) + " s";

    static string Percent(double share) => share.ToString("0.00", Invariant) + "%";

    /// <summary>part as a share of whole, and whether it lies in [low, high] (or [low, high) when <paramref name="upperOpen"/>).</summary>
    static (string, bool) ShareWithin(long part, long whole, double low, double high, bool upperOpen = false)
    {
        if (whole <= 0)
            return ("none", false);
        double share = 100.0 * part / whole;
        return (Percent(share), share >= low && (upperOpen ? share < high : share <= high));
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<BoundCheck>))]
public sealed partial class SeedBoundsJson : JsonSerializerContext;
