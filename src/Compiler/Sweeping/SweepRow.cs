using System.Text.Json;
using System.Text.Json.Serialization;
using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Reporting;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// The result of one cell: one JSON line, one database row. It holds only what the simulation
/// determines (no wall-clock time), so the same cell gives the same line on any machine and the
/// merge of shards equals the unsharded sweep.
/// </summary>
public sealed record SweepRow
{
    public required string Id { get; init; }
    public required int Cell { get; init; }
    public required string Policy { get; init; }
    public required string PolicyFile { get; init; }
    public required string Scenario { get; init; }
    /// <summary>The built-in the cell's scenario starts from (null in rows written before it was recorded).</summary>
    public string? ScenarioBase { get; init; }
    /// <summary>
    /// The fields set on that base, <c>key=value</c> in the order applied, joined by ", " (a text,
    /// so that rows compare by value and fill one database column).
    /// </summary>
    public string? ScenarioSettings { get; init; }
    public required ulong Seed { get; init; }
    public required string Verdict { get; init; }
    public required long FilesRemoved { get; init; }
    public required long FilesTotal { get; init; }
    public required double FilesPerSecond { get; init; }
    public double? CompletedS { get; init; }
    public double? LivelockOnsetS { get; init; }
    public double? LivelockRecoveredS { get; init; }
    /// <summary>
    /// What ended the livelock: the operator's event ("drop_caches 2", "session"), "oom-kill" or
    /// "spontaneous"; null without a livelock or when it lasted to the end (and in older rows).
    /// </summary>
    public string? LivelockEndedBy { get; init; }
    public required long KswapdWakeups { get; init; }
    public required long KswapdSlabFreed { get; init; }
    public required double ReclaimCpuPercent { get; init; }
    public required double SimulatedS { get; init; }
    public string? PolicyError { get; init; }
    /// <summary>During the livelock (null without one): free memory, as a share of total.</summary>
    public double? LivelockFreePercent { get; init; }
    /// <summary>During the livelock: free swap, as a share of the swap device.</summary>
    public double? LivelockSwapFreePercent { get; init; }
    /// <summary>During the livelock: the share of CPU time in scan_swap_map.</summary>
    public double? LivelockScanSwapMapPercent { get; init; }
    /// <summary>
    /// During the livelock: scan_swap_map calls that found no slot while nr_swap_pages said one was
    /// free, the sign of a slot stranded behind lowest_bit (null without swap).
    /// </summary>
    public long? LivelockSwapScansFailed { get; init; }
    /// <summary>
    /// During the livelock: how many times direct reclaim shrank a zone rather than skip it (as ready
    /// for compaction, or as unreclaimable below the first priority), over all zones. None means no
    /// LRU was scanned, so no anon page and no scan_swap_map, whatever the swap holds.
    /// </summary>
    public long? LivelockZonesShrunk { get; init; }
    /// <summary>During the livelock: anon pages direct reclaim scanned, over all zones.</summary>
    public long? LivelockAnonScanned { get; init; }
    /// <summary>During the livelock: the share of it kswapd spent asleep on kswapd_wait.</summary>
    public double? LivelockKswapdAsleepPercent { get; init; }
    /// <summary>During the livelock: the share of it kswapd spent in D state inside a shrinker.</summary>
    public double? LivelockKswapdDStatePercent { get; init; }
    /// <summary>The set-up phase the run ended in when the rm never started; null otherwise.</summary>
    public string? SetupUnfinished { get; init; }
    /// <summary>
    /// On the report's machine, how many of the reproduction's bounds the run meets (of
    /// <see cref="SeedBounds.Count"/>); null on other scenarios.
    /// </summary>
    public int? ReportBoundsMet { get; init; }

    public static SweepRow From(SweepCell cell, RunReport report)
    {
        var livelock = report.DuringLivelock;
        return new()
        {
            Id = cell.Id,
            Cell = cell.Index,
            Policy = report.Policy,
            PolicyFile = cell.PolicyPath,
            Scenario = report.Scenario,
            ScenarioBase = report.ScenarioBase,
            ScenarioSettings = string.Join(", ", report.ScenarioSettings),
            Seed = cell.Seed,
            Verdict = report.Verdict,
            FilesRemoved = report.Progress.FilesRemoved,
            FilesTotal = report.Progress.FilesTotal,
            FilesPerSecond = Math.Round(report.Progress.FilesPerSecond, 3),
            CompletedS = report.Progress.CompletedS,
            LivelockOnsetS = report.Livelock.Detected ? report.Livelock.OnsetS : null,
            LivelockRecoveredS = report.Livelock.Detected ? report.Livelock.RecoveredS : null,
            LivelockEndedBy = report.Livelock.Detected ? report.Livelock.EndedBy : null,
            KswapdWakeups = report.Kswapd.Wakeups,
            KswapdSlabFreed = report.Kswapd.SlabObjectsFreed,
            ReclaimCpuPercent = Math.Round(report.End.ReclaimCpuPercent, 3),
            SimulatedS = Math.Round(report.SimulatedSeconds, 3),
            SetupUnfinished = report.SetupUnfinished,
            PolicyError = report.PolicyError is { } e ? $"{e.File}({e.Line},{e.Column}): {e.Message}" : null,
            LivelockFreePercent = livelock is null ? null : Percent(livelock.Memory.FreeKb, livelock.Memory.TotalKb),
            LivelockSwapFreePercent = livelock is null ? null : Percent(livelock.Memory.SwapFreeKb, livelock.Memory.SwapTotalKb),
            LivelockScanSwapMapPercent = livelock is null ? null : livelock.ProfilePercent("scan_swap_map"),
            LivelockSwapScansFailed = livelock?.Swap?.ScanFailures,
            LivelockZonesShrunk = livelock?.DirectReclaim.Sum(z => z.Shrunk),
            LivelockAnonScanned = livelock?.DirectReclaim.Sum(z => z.AnonScanned),
            LivelockKswapdAsleepPercent = livelock?.Kswapd.AsleepPercent,
            LivelockKswapdDStatePercent = livelock?.Kswapd.DStatePercent,
            ReportBoundsMet = SeedBounds.AppliesTo(report) ? SeedBounds.Check(report).Count(c => c.Met) : null,
        };
    }

    /// <summary>
    /// What makes a row read from a file unusable, or null: JSON gives null for a null
    /// field whatever the property's annotation says (a missing one is refused as required), and a
    /// cell number names a place in a grid.
    /// </summary>
    public string? Problem()
    {
        foreach (var (name, value) in new[] { ("id", Id), ("policy", Policy), ("policy_file", PolicyFile), ("scenario", Scenario), ("verdict", Verdict) })
            if (value is null)
                return $"'{name}' is null";
        return Cell < 0 ? $"'cell' is {Cell}, and cells are numbered from 0" : null;
    }

    static double Percent(long part, long whole) => whole <= 0 ? 0 : Math.Round(100.0 * part / whole, 3);

    public string ToJsonLine() => JsonSerializer.Serialize(this, SweepJson.Default.SweepRow);

    public static SweepRow? FromJsonLine(string line) => JsonSerializer.Deserialize(line, SweepJson.Default.SweepRow);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SweepRow))]
internal sealed partial class SweepJson : JsonSerializerContext;
