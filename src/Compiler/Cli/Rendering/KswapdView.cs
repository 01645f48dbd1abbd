using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>What kswapd did over a window: the numbers that show whether it took the deferred slab work.</summary>
public static class KswapdView
{
    public static IRenderable Render(KswapdReport kswapd)
    {
        // ASLEEP and IN D STATE tell "never woken" (asleep, the node looked balanced) from "awake but
        // idle" (balancing and finding nothing to do) and from "stuck" (waiting in a shrinker).
        // With several nodes, one row per node's kswapd and a row of totals (the shares are means).
        if (kswapd.Nodes is { } nodes)
        {
            var perNode = PlainTable.Create(("KSWAPD", Justify.Left), ("WAKEUPS", Justify.Right), ("BALANCE RUNS", Justify.Right),
                ("ASLEEP", Justify.Right), ("IN D STATE", Justify.Right), ("PAGES RECLAIMED", Justify.Right), ("SLAB OBJECTS FREED", Justify.Right));
            foreach (var n in nodes)
                perNode.AddRow(null, $"kswapd{n.Node}", Units.Integer(n.Wakeups), Units.Integer(n.BalanceRuns), Units.Percent(n.AsleepPercent),
                    Units.Percent(n.DStatePercent), Units.Integer(n.PagesReclaimed), Units.Integer(n.SlabObjectsFreed));
            perNode.AddRow(null, "all", Units.Integer(kswapd.Wakeups), Units.Integer(kswapd.BalanceRuns), Units.Percent(kswapd.AsleepPercent),
                Units.Percent(kswapd.DStatePercent), Units.Integer(kswapd.PagesReclaimed), Units.Integer(kswapd.SlabObjectsFreed));
            return perNode;
        }
        var table = PlainTable.Create(("WAKEUPS", Justify.Right), ("BALANCE RUNS", Justify.Right), ("ASLEEP", Justify.Right),
            ("IN D STATE", Justify.Right), ("PAGES RECLAIMED", Justify.Right), ("SLAB OBJECTS FREED", Justify.Right));
        table.AddRow(null, Units.Integer(kswapd.Wakeups), Units.Integer(kswapd.BalanceRuns), Units.Percent(kswapd.AsleepPercent),
            Units.Percent(kswapd.DStatePercent), Units.Integer(kswapd.PagesReclaimed), Units.Integer(kswapd.SlabObjectsFreed));
        return table;
    }
}
