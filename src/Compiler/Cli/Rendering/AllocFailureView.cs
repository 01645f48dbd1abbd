using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Why XFS's kmem_alloc keeps getting NULL: for the order that failed most, each zone's MIN watermark
/// test worked through as __zone_watermark_ok does it (free memory below the order does not count),
/// with the fragmentation index that decides whether reclaim treats the zone as ready for compaction.
/// </summary>
public static class AllocFailureView
{
    /// <summary>How to read the last two columns.</summary>
    public const string Legend =
        "MIN watermark as __zone_watermark_ok tests it; FRAG INDEX: up to 500 too little memory, above 500 fragmentation, -1000 a block of the order is free";

    /// <summary>The order that failed most in the window, or null when kmem_alloc never failed.</summary>
    public static AllocFailureReport? MostFrequent(Snapshot snapshot) =>
        snapshot.KmemAllocFailures.OrderByDescending(f => f.Count).ThenByDescending(f => f.Order).FirstOrDefault();

    public static IRenderable Render(IReadOnlyList<ZoneReport> zones, int order)
    {
        var table = PlainTable.Create(("ZONE", Justify.Left), ("FREE", Justify.Right), ("MIN", Justify.Right), ("RESERVE", Justify.Right),
            ($"IN BLOCKS >= {order}", Justify.Right), ("NEEDED", Justify.Right), ("FRAG INDEX", Justify.Right), ("MIN WATERMARK", Justify.Left));
        bool numa = ZoneLabels.IsNuma(zones);
        foreach (var zone in zones)
        {
            long[] blocks = [.. zone.FreeBlocks];
            long needed = (zone.MinPages >> order) + (1L << order) - 1;
            table.AddRow(null, ZoneLabels.Label(zone, numa), Units.Integer(zone.FreePages), Units.Integer(zone.MinPages), Units.Integer(zone.LowmemReservePages),
                Units.Integer(Watermarks.FreePagesAtOrAbove(blocks, order)), $"> {Units.Integer(needed)}",
                Watermarks.FragmentationIndex(blocks, order).ToString(System.Globalization.CultureInfo.InvariantCulture), Verdict(zone, blocks, order));
        }
        return table;
    }

    /// <summary>__zone_watermark_ok at MIN for an allocation that could have used the highest zone, and where it fails.</summary>
    static string Verdict(ZoneReport zone, long[] blocks, int order) =>
        Watermarks.FailingStep(zone.FreePages, blocks, zone.MinPages, order, zone.LowmemReservePages) switch
        {
            < 0 => "passes",
            0 => "fails: free <= MIN + reserve",
            var step => $"fails: too little in blocks >= {step}",
        };
}
