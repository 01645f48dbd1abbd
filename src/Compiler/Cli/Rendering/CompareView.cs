using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Several runs of one scenario side by side: a column per policy, a row per measure. Rates and CPU
/// shares are over the whole run (the end snapshot), so runs of different lengths compare fairly;
/// the one row marked "livelock" is over each run's livelock, where a CPU burn shows undiluted.
/// </summary>
public static class CompareView
{
    /// <summary>Text of the XFS message that marks an allocation looping in kmem_alloc.</summary>
    public const string DeadlockMessagePrefix = "XFS: possible memory allocation deadlock";

    static readonly (string Measure, Func<RunReport, string> Value)[] Rows =
    [
        ("verdict", r => r.Verdict),
        ("livelock onset", r => r.Livelock is { Detected: true, OnsetS: { } onset } ? Units.Seconds(onset) : "-"),
        ("livelock ended", r => !r.Livelock.Detected ? "-"
            : r.Livelock.RecoveredS is { } at ? $"{Units.Seconds(at)} ({r.Livelock.EndedBy ?? "?"})" : "never"),
        ("files removed", r => $"{Units.Count(r.Progress.FilesRemoved)} of {Units.Count(r.Progress.FilesTotal)}"),
        ("files removed per second", r => Units.Rate(r.Progress.FilesPerSecond)),
        ("completed at", r => r.Progress.CompletedS is { } done ? Units.Seconds(done) : "-"),
        ("CPU in reclaim", r => Units.Share(r.End.ReclaimCpuPercent)),
        ("CPU in scan_swap_map", r => Units.Share(r.End.ProfilePercent("scan_swap_map"))),
        ("scan_swap_map CPU, livelock", r => r.DuringLivelock is { } during ? Units.Share(during.ProfilePercent("scan_swap_map")) : "-"),
        ("swap scans / failed", r => r.End.Swap is { } swap ? $"{Units.Count(swap.ScanCalls)} / {Units.Count(swap.ScanFailures)}" : "-"),
        ("direct reclaim skip/shrink", r => $"{Units.Count(r.End.DirectReclaim.Sum(z => z.SkippedForCompaction))} / {Units.Count(r.End.DirectReclaim.Sum(z => z.Shrunk))}"),
        ("direct reclaim anon scanned", r => Units.Count(r.End.DirectReclaim.Sum(z => z.AnonScanned))),
        ("direct compaction / succeeded", r => $"{Units.Count(r.End.Vmstat.GetValueOrDefault("compact_stall"))} / {Units.Count(r.End.Vmstat.GetValueOrDefault("compact_success"))}"),
        ("kswapd wakeups", r => Units.Integer(r.Kswapd.Wakeups)),
        ("kswapd slab objects freed", r => Units.Integer(r.Kswapd.SlabObjectsFreed)),
        ("kswapd asleep / in D state", r => $"{Units.Share(r.Kswapd.AsleepPercent)} / {Units.Share(r.Kswapd.DStatePercent)}"),
        ("deadlock messages per second", r => Units.Rate(r.End.Messages.Where(m => m.Text.StartsWith(DeadlockMessagePrefix, StringComparison.Ordinal)).Sum(m => m.PerSecond))),
        ("report's bounds met", r => SeedBounds.AppliesTo(r) ? SeedBoundsView.Met(SeedBounds.Check(r)) : "-"),
        ("simulated", r => Units.Duration(r.SimulatedSeconds)),
        ("wall time", r => Units.Duration(r.WallSeconds)),
    ];

    public static IRenderable Render(IReadOnlyList<RunReport> reports)
    {
        var columns = new List<(string, Justify)> { ("", Justify.Left) };
        columns.AddRange(reports.Select(r => (r.Policy, Justify.Right)));
        var table = PlainTable.Create(columns.ToArray());
        foreach (var (measure, value) in Rows)
            table.AddRow(null, [measure, .. reports.Select(value)]);
        return table;
    }
}
