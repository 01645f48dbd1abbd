using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Vmscan;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>What kswapd did over a window: the numbers that show whether it took the deferred slab work.</summary>
public static class KswapdView
{
    static readonly (string, Justify)[] Columns =
    [
        ("WAKEUPS", Justify.Right), ("BALANCE RUNS", Justify.Right), ("ASLEEP", Justify.Right),
        ("IN D STATE", Justify.Right), ("PAGES RECLAIMED", Justify.Right), ("SLAB OBJECTS SCANNED", Justify.Right),
        ("SLAB OBJECTS FREED", Justify.Right),
    ];

    public static IRenderable Render(KswapdReport kswapd)
    {
        // ASLEEP and IN D STATE tell "never woken" (asleep, the node looked balanced) from "awake but
        // idle" (balancing and finding nothing to do) and from "stuck" (waiting in a shrinker).
        if (kswapd.Nodes is not { } nodes)
        {
            var table = PlainTable.Create(Columns);
            table.AddRow(null, Cells(kswapd));
            return WithWaitChannels(table, [("kswapd", kswapd)]);
        }
        // With several nodes, one row per node's kswapd and a row of totals (the shares are means).
        var perNode = PlainTable.Create([("KSWAPD", Justify.Left), .. Columns]);
        foreach (var n in nodes)
            perNode.AddRow(null, [$"kswapd{n.Node}", .. Cells(n)]);
        perNode.AddRow(null, ["all", .. Cells(kswapd)]);
        return WithWaitChannels(perNode, nodes.Select(n => ($"kswapd{n.Node}", n)));
    }

    /// <summary>
    /// Under the table, where each kswapd's D state was spent, as /proc/PID/wchan names it, and what
    /// it waits for there: a stuck kswapd's stack in one line.
    /// </summary>
    static IRenderable WithWaitChannels(IRenderable table, IEnumerable<(string Name, KswapdReport Report)> kswapds)
    {
        var lines = kswapds
            .SelectMany(k => (k.Report.DStateWaitChannels ?? []).Select(w => WaitLine(k.Name, w)))
            .ToList();
        return lines.Count == 0 ? table : new Rows([table, .. lines.Select(l => new Text(l))]);
    }

    /// <summary>"kswapd in D state in xfs_log_force_lsn 100.00% of the window: waiting for …".</summary>
    static string WaitLine(string name, WaitChannelShare wait) =>
        $"{name} in D state in {wait.WaitChannel} {Share(wait.Percent)} of the window" +
        ((XfsWaitChannels.WaitsFor(wait.WaitChannel) ?? ReclaimWaitChannels.WaitsFor(wait.WaitChannel)) is { } what ? $": waiting for {what}" : "");

    /// <summary>
    /// A channel is listed only if kswapd slept in it in the window, so a share that rounds to 0.00%
    /// (as the report stores it) was a short wait, not none.
    /// </summary>
    static string Share(double percent) => percent < 0.005 ? "under 0.01%" : Units.Percent(percent);

    static string[] Cells(KswapdReport k) =>
    [
        Units.Integer(k.Wakeups), Units.Integer(k.BalanceRuns), Units.Percent(k.AsleepPercent),
        Units.Percent(k.DStatePercent), Units.Integer(k.PagesReclaimed), Units.Integer(k.SlabObjectsScanned),
        Units.Integer(k.SlabObjectsFreed),
    ];
}
