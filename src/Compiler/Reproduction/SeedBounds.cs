using System.Globalization;
using System.Text.Json.Serialization;
using Policyc.Runtime.Reporting;

namespace Policyc.Compiler.Reproduction;

/// <summary>
/// One bound of the reproduction: what it asks for, what the run measured, and whether it holds; for
/// a bound missed, where the run can say so, the mechanism that kept it out of range.
/// </summary>
public sealed record BoundCheck(string Bound, string Simulated, bool Met,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Why = null);

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
        foreach (var (bound, measure, why) in DuringTheLivelock)
        {
            if (report.DuringLivelock is not { } during)
            {
                checks.Add(new(bound, "no livelock window", false));
                continue;
            }
            var (simulated, met) = measure(during);
            checks.Add(new(bound, simulated, met, met ? null : why?.Invoke(during)));
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

    /// <summary>
    /// The bounds on the livelock's window: each measures the window and says whether it holds, and
    /// some can say why they are missed.
    /// </summary>
    static readonly (string Bound, Func<Snapshot, (string Simulated, bool Met)> Measure, Func<Snapshot, string?>? Why)[] DuringTheLivelock =
    [
        ("free memory 12-25% of total", w => ShareWithin(w.Memory.FreeKb, w.Memory.TotalKb, 12, 25), null),
        ("swap free below 1% of swap", w => ShareWithin(w.Memory.SwapFreeKb, w.Memory.SwapTotalKb, 0, 1, upperOpen: true), null),
        ("cached below 1% of total", w => ShareWithin(w.Memory.CachedKb, w.Memory.TotalKb, 0, 1, upperOpen: true), null),
        ("slabtop order " + string.Join(", ", SlabOrder), w =>
        {
            var top = w.Slab.OrderByDescending(s => s.SizeKb).Take(SlabOrder.Length).Select(s => s.Name).ToArray();
            return (string.Join(", ", top), top.SequenceEqual(SlabOrder));
        }, null),
        ("xfs_inode at least 70% of used memory", w =>
            ShareWithin(w.Slab.FirstOrDefault(s => s.Name == "xfs_inode")?.SizeKb ?? 0, w.Memory.UsedKb, 70, 100), null),
        ("top profile symbol scan_swap_map at 30-60%", w =>
        {
            double scanSwapMap = w.Profile.FirstOrDefault(p => p.Symbol == "scan_swap_map")?.Percent ?? 0;
            return w.Profile.MaxBy(p => p.Percent) switch
            {
                null => ("no profile", false),
                { Symbol: "scan_swap_map" } => ($"scan_swap_map {Percent(scanSwapMap)}", scanSwapMap is >= 30 and <= 60),
                var top => ($"{top.Symbol} {Percent(top.Percent)}; scan_swap_map {Percent(scanSwapMap)}", false),
            };
        }, WhyNoBurn),
        ("deadlock message 2-10 a second", w =>
        {
            double rate = w.Messages.FirstOrDefault(m => m.Text == SeedReport.DeadlockMessage)?.PerSecond ?? 0;
            return ($"{rate.ToString("0.00", Invariant)}/s", rate is >= 2 and <= 10);
        }, null),
        ("kswapd frees no slab objects", w => ($"{w.Kswapd.SlabObjectsFreed.ToString(Invariant)} freed", w.Kswapd.SlabObjectsFreed == 0), null),
    ];

    /// <summary>
    /// Why the burn is missing, as far as the window's direct reclaim tells: the report's stack is NOFS
    /// direct reclaim scanning an anon LRU, so the first of its steps that did not happen is the reason.
    /// </summary>
    static string? WhyNoBurn(Snapshot w)
    {
        var (skipped, shrunk) = ZoneVisits(w);
        if (skipped + shrunk == 0)
            return "no direct reclaim in the window";
        if (shrunk == 0)
            return $"direct reclaim shrank no zone: it skipped the zone as ready for compaction on all {skipped.ToString("N0", Invariant)} visits";
        if (w.DirectReclaim.Sum(z => z.AnonScanned) == 0)
            return $"direct reclaim shrank a zone {shrunk.ToString("N0", Invariant)} times but scanned no anon page, so nothing asked for a swap slot";
        return null;
    }

    /// <summary>Direct reclaim's zone visits in the window: skipped as ready for compaction, and shrunk.</summary>
    public static (long Skipped, long Shrunk) ZoneVisits(Snapshot w) =>
        (w.DirectReclaim.Sum(z => z.SkippedForCompaction), w.DirectReclaim.Sum(z => z.Shrunk));

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
