using System.Globalization;
using Policyc.Compiler.Reproduction;
using Policyc.Compiler.Sweeping;

namespace Policyc.Cli.Rendering;

/// <summary>
/// One line per cell, in cell order: the verdict and, for a livelock, what ended it and the state the report's bounds
/// are about (free memory, free swap, CPU in scan_swap_map and its scans that found no slot, the
/// zones direct reclaim shrank rather than skip, anon scanned, kswapd in D state) and, on the
/// report's machine, how many bounds hold.
/// The summary averages over seeds; this is where a single draw that matches shows.
/// </summary>
public static class SweepCellsView
{
    static readonly string[] Headers =
        ["policy", "scenario", "seed", "verdict", "onset (s)", "ended by", "free (%)", "swap free (%)", "scan_swap_map (%)", "failed scans", "zones shrunk", "anon scanned", "kswapd D (%)", "bounds met"];

    public static string Render(IReadOnlyList<SweepRow> rows)
    {
        var table = new List<string[]> { Headers };
        foreach (var r in rows.OrderBy(r => r.Cell))
            table.Add([
                r.Policy,
                r.Scenario,
                r.Seed.ToString(CultureInfo.InvariantCulture),
                r.SetupUnfinished is { } phase ? $"{r.Verdict} (set-up: {phase})" : r.Verdict,
                Number(r.LivelockOnsetS),
                EndedBy(r),
                Number(r.LivelockFreePercent),
                Number(r.LivelockSwapFreePercent),
                Number(r.LivelockScanSwapMapPercent),
                Count(r.LivelockSwapScansFailed),
                Count(r.LivelockZonesShrunk),
                Count(r.LivelockAnonScanned),
                Number(r.LivelockKswapdDStatePercent),
                r.ReportBoundsMet is { } met ? SeedBoundsView.Met(met) : "-",
            ]);
        return TextColumns.Layout(table, leftAligned: 4);
    }

    /// <summary>
    /// What ended a livelock ("drop_caches 2", "session", "oom-kill", "spontaneous"), "never" for one
    /// that lasted to the end, and "?" for one a row written before the cause was recorded says ended.
    /// </summary>
    static string EndedBy(SweepRow r) => r.LivelockOnsetS is null ? "-" : r.LivelockRecoveredS is null ? "never" : r.LivelockEndedBy ?? "?";

    static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    static string Number(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";
}
