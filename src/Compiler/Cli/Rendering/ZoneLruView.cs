using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Each zone's LRU lists as /proc/zoneinfo counts them. get_scan_count decides from these which lists
/// a reclaim pass scans: anon only when free plus file pages are at most HIGH, file only while the
/// inactive file list is at least the active one, and nothing from a list shorter than 2^priority.
/// </summary>
public static class ZoneLruView
{
    public static IRenderable Render(IReadOnlyList<ZoneReport> zones)
    {
        var table = PlainTable.Create(("ZONE", Justify.Left), ("FREE", Justify.Right), ("INACTIVE ANON", Justify.Right),
            ("ACTIVE ANON", Justify.Right), ("INACTIVE FILE", Justify.Right), ("ACTIVE FILE", Justify.Right));
        bool numa = ZoneLabels.IsNuma(zones);
        foreach (var zone in zones)
            table.AddRow(null, ZoneLabels.Label(zone, numa), Units.Integer(zone.FreePages), Units.Integer(zone.InactiveAnonPages),
                Units.Integer(zone.ActiveAnonPages), Units.Integer(zone.InactiveFilePages), Units.Integer(zone.ActiveFilePages));
        return table;
    }
}
