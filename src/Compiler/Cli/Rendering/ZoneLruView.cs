using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Each zone's LRU lists as /proc/zoneinfo counts them. get_scan_count decides from these which lists
/// a reclaim pass scans: anon only when free plus file pages are at most HIGH, file only while the
/// inactive file list is at least the active one, and nothing from a list shorter than 2^priority.
/// With per-CPU page lists, a last column counts the free pages on them, which FREE leaves out.
/// </summary>
public static class ZoneLruView
{
    public static IRenderable Render(IReadOnlyList<ZoneReport> zones)
    {
        bool pcp = zones.Any(z => z.PcpPages is not null);
        (string, Justify)[] columns = [("ZONE", Justify.Left), ("FREE", Justify.Right), ("INACTIVE ANON", Justify.Right),
            ("ACTIVE ANON", Justify.Right), ("INACTIVE FILE", Justify.Right), ("ACTIVE FILE", Justify.Right)];
        var table = PlainTable.Create(pcp ? [.. columns, ("PER-CPU LISTS", Justify.Right)] : columns);
        bool numa = ZoneLabels.IsNuma(zones);
        foreach (var zone in zones)
        {
            string[] cells = [ZoneLabels.Label(zone, numa), Units.Integer(zone.FreePages), Units.Integer(zone.InactiveAnonPages),
                Units.Integer(zone.ActiveAnonPages), Units.Integer(zone.InactiveFilePages), Units.Integer(zone.ActiveFilePages)];
            table.AddRow(null, pcp ? [.. cells, Units.Integer(zone.PcpPages ?? 0)] : cells);
        }
        return table;
    }
}
