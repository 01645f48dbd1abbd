using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>What kswapd did over a window: the numbers that show whether it took the deferred slab work.</summary>
public static class KswapdView
{
    static readonly (string, Justify)[] Columns =
    [
        ("WAKEUPS", Justify.Right), ("BALANCE RUNS", Justify.Right), ("ASLEEP", Justify.Right),
        ("IN D STATE", Justify.Right), ("PAGES RECLAIMED", Justify.Right), ("SLAB OBJECTS FREED", Justify.Right),
    ];

    public static IRenderable Render(KswapdReport kswapd)
    {
        // ASLEEP and IN D STATE tell "never woken" (asleep, the node looked balanced) from "awake but
        // idle" (balancing and finding nothing to do) and from "stuck" (waiting in a shrinker).
        if (kswapd.Nodes is not { } nodes)
        {
            var table = PlainTable.Create(Columns);
            table.AddRow(null, Cells(kswapd));
            return table;
        }
        // With several nodes, one row per node's kswapd and a row of totals (the shares are means).
        var perNode = PlainTable.Create([("KSWAPD", Justify.Left), .. Columns]);
        foreach (var n in nodes)
            perNode.AddRow(null, [$"kswapd{n.Node}", .. Cells(n)]);
        perNode.AddRow(null, ["all", .. Cells(kswapd)]);
        return perNode;
    }

    static string[] Cells(KswapdReport k) =>
    [
        Units.Integer(k.Wakeups), Units.Integer(k.BalanceRuns), Units.Percent(k.AsleepPercent),
        Units.Percent(k.DStatePercent), Units.Integer(k.PagesReclaimed), Units.Integer(k.SlabObjectsFreed),
    ];
}
