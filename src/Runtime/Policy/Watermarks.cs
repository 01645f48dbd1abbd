namespace Policyc.Runtime.Policy;

/// <summary>
/// The watermark and fragmentation arithmetic of mm/page_alloc.c and mm/compaction.c, shared by the
/// allocator and by the built-in functions policies call. Pure functions of a zone's free lists.
/// </summary>
public static class Watermarks
{
    public const int MaxOrder = 11; // orders 0..10

    /// <summary>
    /// Whether an order names a buddy list. The kernel's orders are unsigned and below MAX_ORDER; a
    /// policy's count may be anything, and an order outside 0-10 names a block no zone has: the
    /// functions below answer for it as for a request that cannot be met (no free pages at that
    /// order, the watermark test failing, the index 0 that fragmentation_index() returns for it).
    /// </summary>
    public static bool IsOrder(long order) => order is >= 0 and < MaxOrder;

    /// <summary>
    /// __zone_watermark_ok: subtract the request's own pages, require free &gt; min + reserve, then for
    /// each order below the request subtract that order's free pages and halve min.
    /// </summary>
    public static bool Ok(long freePages, long[]? freeBlocks, long mark, long order, long lowmemReserve) =>
        FailingStep(freePages, freeBlocks, mark, order, lowmemReserve) < 0;

    /// <summary>
    /// Where <see cref="Ok"/> fails: -1 if the test passes, 0 if free &lt;= min + reserve, otherwise
    /// the order o at which the pages left in blocks of order o and above fell to min &gt;&gt; o.
    /// </summary>
    public static int FailingStep(long freePages, long[]? freeBlocks, long mark, long order, long lowmemReserve)
    {
        if (!IsOrder(order))
            return 0;
        long min = mark;
        long free = freePages - ((1L << (int)order) - 1);
        if (free <= min + lowmemReserve)
            return 0;
        if (freeBlocks is null)
            return -1;
        for (int o = 0; o < order; o++)
        {
            free -= freeBlocks[o] << o;
            min >>= 1;
            if (free <= min)
                return o + 1;
        }
        return -1;
    }

    /// <summary>
    /// How many allocations of the order in a row pass <see cref="Ok"/>, each taking the smallest free
    /// block of at least that order and returning the rest of it to the lower orders, as
    /// __rmqueue_smallest and expand() do.
    /// </summary>
    public static long AllocationsPassing(long freePages, long[] freeBlocks, long mark, int order, long lowmemReserve)
    {
        var blocks = (long[])freeBlocks.Clone();
        long free = freePages, passes = 0;
        while (Ok(free, blocks, mark, order, lowmemReserve))
        {
            int o = order;
            while (o < blocks.Length && blocks[o] == 0)
                o++;
            if (o == blocks.Length)
                break;
            blocks[o]--;
            for (int split = order; split < o; split++)
                blocks[split]++;
            free -= 1L << order;
            passes++;
        }
        return passes;
    }

    public static long FreePagesAtOrAbove(long[]? freeBlocks, long order)
    {
        if (freeBlocks is null || !IsOrder(order))
            return 0;
        long pages = 0;
        for (int o = (int)order; o < freeBlocks.Length; o++)
            pages += freeBlocks[o] << o;
        return pages;
    }

    /// <summary>
    /// The order-0 free pages above which compaction_ready() counts a zone as ready for compaction
    /// (if compaction is also suitable or deferred): HIGH + the balance gap (LOW or 1% of the zone,
    /// whichever is smaller) + 2&lt;&lt;order.
    /// </summary>
    public static long CompactionReadyWatermark(long low, long high, long managedPages, int order) =>
        high + BalanceGap(low, managedPages) + (2L << order);

    /// <summary>
    /// The balance gap of mm/vmscan.c: the LOW watermark or 1% of the zone's managed pages
    /// (KSWAPD_ZONE_BALANCE_GAP_RATIO, rounded up), whichever is smaller.
    /// </summary>
    public static long BalanceGap(long low, long managedPages) => Math.Min(low, (managedPages + 99) / 100);

    /// <summary>__fragmentation_index x1000 as mm/vmstat.c computes it; -1000 when a suitable block is free.</summary>
    public static long FragmentationIndex(long[]? freeBlocks, long order)
    {
        if (freeBlocks is null || !IsOrder(order))
            return 0; // fragmentation_index(): WARN_ON_ONCE(order >= MAX_ORDER), return 0
        long requested = 1L << (int)order;
        long freePages = 0, freeBlocksTotal = 0, freeBlocksSuitable = 0;
        for (int o = 0; o < freeBlocks.Length; o++)
        {
            freeBlocksTotal += freeBlocks[o];
            freePages += freeBlocks[o] << o;
            if (o >= order)
                freeBlocksSuitable += freeBlocks[o] << (o - (int)order);
        }
        if (freeBlocksTotal == 0)
            return 0;
        if (freeBlocksSuitable > 0)
            return -1000;
        return 1000 - (1000 + freePages * 1000 / requested) / freeBlocksTotal;
    }

    /// <summary>
    /// compaction_suitable(zone, order) != COMPACT_SKIPPED: LOW + 2&lt;&lt;order pages free at order 0
    /// (migration needs room for its copies), and a fragmentation index above extfrag_threshold, or
    /// -1000 (a block of the order is free), so that the failure is one of fragmentation.
    /// </summary>
    public static bool CompactionSuitable(long freePages, long[]? freeBlocks, long low, long order, long extfragThreshold)
    {
        if (order <= 0 || !IsOrder(order))
            return false;
        long watermark = low + (2L << (int)order);
        if (!Ok(freePages, freeBlocks, watermark, 0, 0))
            return false;
        long index = FragmentationIndex(freeBlocks, order);
        return !(index >= 0 && index <= extfragThreshold);
    }

    /// <summary><see cref="CompactionSuitable(long, long[], long, long, long)"/> for a policy's view of a zone.</summary>
    public static bool CompactionSuitable(in ZoneState zone, long order) =>
        CompactionSuitable(zone.Free, zone.FreeBlocks, zone.Low, order, zone.ExtfragThreshold);
}
