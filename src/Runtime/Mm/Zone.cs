using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Mm;

/// <summary>
/// struct zone: a range of page frames with its buddy free areas, watermarks, LRU lists and the
/// reclaim and compaction bookkeeping of mm/vmscan.c and mm/compaction.c.
/// </summary>
public sealed class Zone
{
    public const int MaxOrder = Watermarks.MaxOrder;

    public readonly int Index;
    public readonly string Name;
    /// <summary>The node (pg_data_t) the zone belongs to.</summary>
    public readonly int NodeId;
    public readonly int StartPfn;
    public readonly int EndPfn;

    public const int MigrateTypes = 4;

    /// <summary>free_area[order].free_list[migratetype], flattened as order * MigrateTypes + type.</summary>
    public readonly PageList[] FreeArea = new PageList[MaxOrder * MigrateTypes];

    public ref PageList FreeList(int order, MigrateType type) => ref FreeArea[order * MigrateTypes + (int)type];
    /// <summary>nr_free per order, as a long[] the watermark arithmetic reads directly.</summary>
    public readonly long[] NrFree = new long[MaxOrder];
    public long FreePages;
    public long ManagedPages;

    public long MinWmark, LowWmark, HighWmark;
    /// <summary>
    /// NR_ALLOC_BATCH of the fair zone allocation policy (3.12): pages this zone may still hand out in
    /// the current round of the fast path's round robin. Every allocation from the zone counts.
    /// </summary>
    public long AllocBatch;
    /// <summary>
    /// __free_one_page's tail placement: a freed block whose next-higher buddy
    /// is free goes to the tail of its list, so that it is taken last and more likely to merge
    /// (scenario switch buddy-tail-merge).
    /// </summary>
    public bool FreeLikelyMergesToTail;

    /// <summary>The batch a round starts with: high_wmark - low_wmark, in proportion to the zone's size.</summary>
    public void ResetAllocBatch() => AllocBatch = HighWmark - LowWmark;
    /// <summary>lowmem_reserve[classzone]: pages kept back from allocations that could have used a higher zone.</summary>
    public readonly long[] LowmemReserve = new long[3];

    public readonly PageList[] Lrus = new PageList[4];
    /// <summary>reclaim_stat.recent_scanned / recent_rotated for anon [0] and file [1] (get_scan_count's balance).</summary>
    public readonly long[] RecentScanned = new long[2];
    public readonly long[] RecentRotated = new long[2];
    /// <summary>What direct reclaim did with this zone: skipped for compaction, shrunk, and how it scanned.</summary>
    public readonly DirectReclaimStats DirectReclaim = new();
    /// <summary>zone->pages_scanned: pages scanned since a page was last freed into this zone.</summary>
    public long PagesScanned;
    /// <summary>The zone's per-CPU page lists; null when the scenario leaves them out (pcp-lists off).</summary>
    public PerCpuPages? Pcp;
    /// <summary>Without the lists: order-0 frees since a batch would last have been drained into the buddy lists.</summary>
    public int PcpFrees;
    /// <summary>pcp->batch: order-0 frees reach the buddy allocator (and reset pages_scanned) in batches.</summary>
    public const int PcpBatch = 31;
    /// <summary>
    /// ZONE_WRITEBACK: a reclaim pass here took only pages under writeback. kswapd then counts a
    /// page it meets under writeback as nr_immediate and stalls; kswapd_shrink_zone clears the flag.
    /// </summary>
    public bool ReclaimWriteback;

    // compaction (mm/compaction.c)
    public int CompactConsidered;
    public int CompactDeferShift;
    public int CompactOrderFailed;
    /// <summary>compact_cached_migrate_pfn and compact_cached_free_pfn: where the next compact_zone's scanners start.</summary>
    public int CompactCachedMigratePfn;
    public int CompactCachedFreePfn;
    /// <summary>
    /// compact_blockskip_flush: a direct compactor's scanners met, so the pageblock skip bits are
    /// cleared when kswapd next goes to sleep.
    /// </summary>
    public bool CompactBlockskipFlush;

    public Zone(int index, string name, int startPfn, int endPfn, int nodeId)
    {
        Index = index;
        Name = name;
        NodeId = nodeId;
        StartPfn = startPfn;
        EndPfn = endPfn;
        for (int i = 0; i < FreeArea.Length; i++)
            FreeArea[i] = PageList.Empty;
        for (int l = 0; l < 4; l++)
            Lrus[l] = PageList.Empty;
        CompactCachedMigratePfn = startPfn;
        CompactCachedFreePfn = endPfn & ~((1 << PageFrames.PageblockOrder) - 1);
    }

    public bool Contains(int pfn) => pfn >= StartPfn && pfn < EndPfn;

    public long LruPages(Lru lru) => Lrus[(int)lru].Count;
    public long FilePages => Lrus[2].Count + Lrus[3].Count;
    public long AnonPages => Lrus[0].Count + Lrus[1].Count;

    /// <summary>zone_reclaimable_pages: file LRU pages, plus anon while there is free swap.</summary>
    public long ReclaimablePages(long nrSwapPages) => FilePages + (nrSwapPages > 0 ? AnonPages : 0);

    /// <summary>zone_reclaimable(): fewer than six times its reclaimable pages scanned since a page was freed.</summary>
    public bool IsReclaimable(long nrSwapPages) => PagesScanned < ReclaimablePages(nrSwapPages) * 6;

    /// <summary>__zone_watermark_ok for an allocation whose preferred zone has index <paramref name="classzone"/>.</summary>
    public bool WatermarkOk(int order, long mark, int classzone) =>
        Watermarks.Ok(FreePages, NrFree, mark, order, ReserveAgainst(classzone));

    /// <summary>The pages this zone keeps back from an allocation whose preferred zone has index <paramref name="classzone"/>: none from its own zone or a lower one.</summary>
    public long ReserveAgainst(int classzone) => classzone > Index ? LowmemReserve[classzone] : 0;

    /// <summary>compaction_deferred(): skip compaction at this order for a while after failures; counts the consideration.</summary>
    public bool CompactionDeferred(int order)
    {
        if (order < CompactOrderFailed)
            return false;
        bool deferred = CompactionWouldBeDeferred(order);
        long limit = 1L << CompactDeferShift;
        if (++CompactConsidered > limit)
            CompactConsidered = (int)limit;
        return deferred;
    }

    /// <summary>
    /// What <see cref="CompactionDeferred"/> answers, without counting a consideration: deferred while
    /// the consideration about to be counted stays below the limit of 1 &lt;&lt; compact_defer_shift.
    /// </summary>
    public bool CompactionWouldBeDeferred(int order) =>
        order >= CompactOrderFailed && CompactConsidered + 1L < 1L << CompactDeferShift;

    /// <summary>defer_compaction(): after a failure, skip the next 1, 2, 4 … 64 attempts.</summary>
    public void DeferCompaction(int order)
    {
        CompactConsidered = 0;
        if (++CompactDeferShift > 6)
            CompactDeferShift = 6;
        if (order < CompactOrderFailed)
            CompactOrderFailed = order;
    }

    /// <summary>
    /// compaction_restarting(): compaction at this order is about to run again after the longest
    /// deferral, so the direct compactor clears the skip bits first.
    /// </summary>
    public bool CompactionRestarting(int order) =>
        order >= CompactOrderFailed && CompactDeferShift == 6 && CompactConsidered >= 1L << CompactDeferShift;

    /// <summary>compaction_defer_reset(): a success at this order.</summary>
    public void CompactionDeferReset(int order)
    {
        CompactConsidered = 0;
        CompactDeferShift = 0;
        if (order >= CompactOrderFailed)
            CompactOrderFailed = order + 1;
    }
}
