using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// What direct reclaim did with each zone over a window: the passes shrink_zones skipped because the
/// zone was ready for compaction, the passes it shrank the zone, get_scan_count's choice for those,
/// and the pages it scanned. For a looping high-order request this is where the CPU does or does not
/// go into the anon LRU, and so into scan_swap_map.
/// </summary>
public static class DirectReclaimView
{
    /// <summary>How to read the table.</summary>
    public const string Legend =
        "READY ABOVE: compaction_ready's HIGH + balance gap + 2<<order at order 0; a zone with more free and compaction suitable is skipped for a costly order";

    /// <summary>True when direct reclaim touched any zone in the window.</summary>
    public static bool Any(Snapshot snapshot) =>
        snapshot.DirectReclaim.Any(z => z.SkippedForCompaction > 0 || z.Shrunk > 0);

    public static IRenderable Render(IReadOnlyList<ZoneReport> zones, IReadOnlyList<ZoneReclaimReport> reclaim, int order)
    {
        var table = PlainTable.Create(("ZONE", Justify.Left), ("FREE", Justify.Right), ("READY ABOVE", Justify.Right),
            ("SKIPPED", Justify.Right), ("SHRUNK", Justify.Right), ("get_scan_count", Justify.Left),
            ("ANON SCANNED", Justify.Right), ("FILE SCANNED", Justify.Right));
        bool numa = ZoneLabels.IsNuma(zones);
        foreach (var stats in reclaim)
        {
            var zone = zones.FirstOrDefault(z => z.Name == stats.Zone && z.Node == stats.Node);
            string free = zone is null ? "" : Units.Integer(zone.FreePages);
            string readyAbove = zone is null ? "" : Units.Integer(
                Watermarks.CompactionReadyWatermark(zone.LowPages, zone.HighPages, zone.ManagedPages, order));
            table.AddRow(null, ZoneLabels.Label(stats.Zone, stats.Node, numa), free, readyAbove, Units.Integer(stats.SkippedForCompaction), Units.Integer(stats.Shrunk),
                Balance(stats), Units.Integer(stats.AnonScanned), Units.Integer(stats.FileScanned));
        }
        return table;
    }

    /// <summary>The scan balances chosen, most frequent first, with their shares of the zone's shrink_zone calls.</summary>
    static string Balance(ZoneReclaimReport stats)
    {
        var choices = new (ScanBalanceKind Kind, long Count)[]
        {
            (ScanBalanceKind.Anon, stats.ScanAnon), (ScanBalanceKind.Fract, stats.ScanFract),
            (ScanBalanceKind.File, stats.ScanFile), (ScanBalanceKind.Equal, stats.ScanEqual),
        };
        long total = choices.Sum(c => c.Count);
        if (total == 0)
            return "-";
        return string.Join(", ", choices.Where(c => c.Count > 0).OrderByDescending(c => c.Count)
            .Select(c => $"{ScanBalanceKinds.Name(c.Kind)} {Units.Share(100.0 * c.Count / total)}"));
    }
}
