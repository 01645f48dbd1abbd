using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// /proc/buddyinfo with each zone's free pages and watermarks beside it: how free memory is split into
/// blocks of each order. A request of order N can use only the blocks of order N and above, so this is
/// where a livelock with gigabytes free shows its cause.
/// </summary>
public static class BuddyInfoView
{
    public static IRenderable Render(IReadOnlyList<ZoneReport> zones)
    {
        int orders = zones.Count == 0 ? 0 : zones.Max(z => z.FreeBlocks.Count);
        var columns = new List<(string, Justify)> { ("ZONE", Justify.Left), ("FREE", Justify.Right), ("MIN", Justify.Right),
            ("LOW", Justify.Right), ("HIGH", Justify.Right) };
        for (int o = 0; o < orders; o++)
            columns.Add((o == 0 ? "order 0" : o.ToString(), Justify.Right));
        var table = PlainTable.Create([.. columns]);
        bool numa = ZoneLabels.IsNuma(zones);
        foreach (var zone in zones)
        {
            var cells = new List<string> { ZoneLabels.Label(zone, numa), Units.Integer(zone.FreePages), Units.Integer(zone.MinPages),
                Units.Integer(zone.LowPages), Units.Integer(zone.HighPages) };
            for (int o = 0; o < orders; o++)
                cells.Add(o < zone.FreeBlocks.Count ? Units.Integer(zone.FreeBlocks[o]) : "0");
            table.AddRow(null, [.. cells]);
        }
        return table;
    }
}
