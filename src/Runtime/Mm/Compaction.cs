using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Mm;

/// <summary>What compact_zone and try_to_compact_pages return, in the order try_to_compact_pages takes the max of.</summary>
internal enum CompactResult
{
    /// <summary>COMPACT_SKIPPED: compaction_suitable said the failure is not one of fragmentation.</summary>
    Skipped,
    /// <summary>COMPACT_CONTINUE: compaction should run (only ever an intermediate answer).</summary>
    Continue,
    /// <summary>COMPACT_PARTIAL: a block of the order is free, or the free scanner ran dry.</summary>
    Partial,
    /// <summary>COMPACT_COMPLETE: the scanners met.</summary>
    Complete,
}

/// <summary>
/// Memory compaction as mm/compaction.c has it in 3.13. The migrate scanner walks up from the zone
/// start a pageblock at a time and isolates up to COMPACT_CLUSTER_MAX LRU pages; the free scanner
/// walks down from the zone end, a pageblock at a time, and takes free pages only from movable
/// pageblocks; the isolated pages move into them. Async compaction migrates only out of movable
/// pageblocks. A pageblock where a scanner isolated nothing gets its skip bit (PG_migrate_skip)
/// and is passed over until the bits are cleared. Slab and kernel pages cannot move, so memory full
/// of slab does not compact, and free pages in slab pageblocks are no target.
/// </summary>
internal sealed class Compaction(Kernel k)
{
    /// <summary>COMPACT_CLUSTER_MAX (SWAP_CLUSTER_MAX): pages isolated for one migrate_pages call.</summary>
    const int ClusterMax = 32;
    const int PageblockOrder = PageFrames.PageblockOrder;
    const int PageblockPages = 1 << PageblockOrder;

    // struct compact_control: one compaction runs at a time (a step is never interrupted), so the
    // lists and scanner positions are reused from run to run.
    readonly int[] migrateList = new int[ClusterMax];
    int nrMigrate;
    int[] freeList = new int[4 * PageblockPages];
    int nrFree;
    int migratePfn, freePfn;
    bool sync, finishedUpdateMigrate, finishedUpdateFree;
    int order;
    MigrateType migratetype;
    long examined;

    /// <summary>compaction_suitable(zone, order) != COMPACT_SKIPPED.</summary>
    public static bool Suitable(Zone zone, int order, long extfragThreshold) =>
        Watermarks.CompactionSuitable(zone.FreePages, zone.NrFree, zone.LowWmark, order, extfragThreshold);

    /// <summary>
    /// compaction_suitable with its three answers: SKIPPED, PARTIAL when a block of the order is free
    /// and the zone passes LOW + 2&lt;&lt;order at the order, CONTINUE otherwise.
    /// </summary>
    CompactResult SuitableResult(Zone zone, int o)
    {
        if (!Suitable(zone, o, k.Scenario.ExtfragThreshold))
            return CompactResult.Skipped;
        long watermark = zone.LowWmark + (2L << o);
        return Watermarks.FragmentationIndex(zone.NrFree, o) == -1000 && zone.WatermarkOk(o, watermark, 0)
            ? CompactResult.Partial
            : CompactResult.Continue;
    }

    /// <summary>
    /// try_to_compact_pages: compact_zone_order on each zone of the zonelist, stopping once a zone
    /// passes LOW at the order. Counts the stall; the caller then tries the whole zonelist.
    /// </summary>
    public CompactResult TryToCompactPages(Zone[] zonelist, int o, bool syncMigration, MigrateType type)
    {
        k.Counters.Count(VmEvent.CompactStall);
        var rc = CompactResult.Skipped;
        foreach (var zone in zonelist)
        {
            if (zone.Index > k.HighZoneIdx)
                continue;
            var status = CompactZone(zone, o, syncMigration, type, isKswapd: false);
            if (status > rc)
                rc = status;
            if (zone.WatermarkOk(o, zone.LowWmark, 0))
                break;
        }
        return rc;
    }

    /// <summary>
    /// compact_pgdat, as kswapd calls it for its node after a balancing pass: __compact_pgdat with
    /// async migration. A zone not deferred is compacted; one that then passes LOW at the order has
    /// its compact_order_failed raised past the order (its back-off is left as it is). Async
    /// compaction never defers.
    /// </summary>
    public void CompactPgdat(Node node, int o)
    {
        if (o <= 0)
            return;
        foreach (var zone in node.Zones)
        {
            if (!zone.CompactionDeferred(o))
                CompactZone(zone, o, syncMigration: false, MigrateType.Unmovable, isKswapd: true);
            if (zone.WatermarkOk(o, zone.LowWmark, 0) && o >= zone.CompactOrderFailed)
                zone.CompactOrderFailed = o + 1;
        }
    }

    /// <summary>
    /// reset_isolation_suitable, as kswapd calls it before it sleeps: in each zone of the node whose
    /// direct compactor's scanners met, every skip bit is cleared and the scanners start afresh.
    /// </summary>
    public void ResetIsolationSuitable(Node node)
    {
        foreach (var zone in node.Zones)
            if (zone.CompactBlockskipFlush)
                ResetIsolationSuitable(zone);
    }

    /// <summary>__reset_isolation_suitable.</summary>
    void ResetIsolationSuitable(Zone zone)
    {
        ResetCachedPositions(zone);
        zone.CompactBlockskipFlush = false;
        int first = zone.StartPfn >> PageblockOrder, last = (zone.EndPfn - 1) >> PageblockOrder;
        Array.Clear(k.Frames.PageblockSkip, first, last - first + 1);
    }

    /// <summary>The next compact_zone's scanners start afresh, at the two ends of the zone.</summary>
    static void ResetCachedPositions(Zone zone)
    {
        zone.CompactCachedMigratePfn = zone.StartPfn;
        zone.CompactCachedFreePfn = zone.EndPfn;
    }

    /// <summary>
    /// compact_zone: returns at once unless compaction_suitable says CONTINUE; otherwise isolates and
    /// migrates batches until compact_finished says a block of the order is free on the request's
    /// own lists, the free scanner runs dry, or the scanners meet.
    /// </summary>
    public CompactResult CompactZone(Zone zone, int o, bool syncMigration, MigrateType type, bool isKswapd)
    {
        var ret = SuitableResult(zone, o);
        if (ret != CompactResult.Continue)
            return ret;
        k.Counters.CompactionRuns++;
        k.SwapWriteback.EndDue();
        order = o;
        sync = syncMigration;
        migratetype = type;
        nrMigrate = nrFree = 0;
        examined = 0;
        finishedUpdateMigrate = finishedUpdateFree = false;
        if (zone.CompactCachedFreePfn < zone.StartPfn || zone.CompactCachedFreePfn > zone.EndPfn)
            zone.CompactCachedFreePfn = zone.EndPfn & ~(PageblockPages - 1);
        if (zone.CompactCachedMigratePfn < zone.StartPfn || zone.CompactCachedMigratePfn > zone.EndPfn)
            zone.CompactCachedMigratePfn = zone.StartPfn;
        // Clear the skip bits when compaction runs again after its longest back-off; kswapd leaves
        // that to its own sleep.
        if (zone.CompactionRestarting(o) && !isKswapd)
            ResetIsolationSuitable(zone);
        migratePfn = zone.CompactCachedMigratePfn;
        freePfn = zone.CompactCachedFreePfn;
        try
        {
            while ((ret = CompactFinished(zone, isKswapd)) == CompactResult.Continue)
            {
                if (!IsolateMigratepages(zone))
                    continue;
                if (!MigratePages(zone))
                {
                    // -ENOMEM: the free scanner found nothing more; the rest go back to the LRU.
                    ret = CompactResult.Partial;
                    break;
                }
            }
        }
        finally
        {
            // release_freepages: isolated free pages not used are freed again with __free_page,
            // through the per-cpu lists like any order-0 free.
            while (nrFree > 0)
                k.PageAlloc.FreePage(freeList[--nrFree], cold: false);
            k.Cpu.Charge(Symbol.CompactZone, examined * k.Scenario.CostCompactPageNs);
        }
        return ret;
    }

    /// <summary>
    /// compact_finished: COMPLETE when the scanners met (resetting the cached positions); PARTIAL
    /// when the zone passes LOW + 2^order at the order and a block of at least the order is free
    /// on the request's own free lists; CONTINUE otherwise. A block made free in a movable pageblock
    /// does not end an unmovable request's compaction: the allocation that follows can still take it.
    /// </summary>
    CompactResult CompactFinished(Zone zone, bool isKswapd)
    {
        if (freePfn <= migratePfn)
        {
            ResetCachedPositions(zone);
            if (!isKswapd)
                zone.CompactBlockskipFlush = true;
            return CompactResult.Complete;
        }
        if (!zone.WatermarkOk(order, zone.LowWmark + (1L << order), 0))
            return CompactResult.Continue;
        for (int o = order; o < Zone.MaxOrder; o++)
        {
            if (zone.FreeList(o, migratetype).Head >= 0)
                return CompactResult.Partial;
            if (order >= PageblockOrder && zone.NrFree[o] > 0)
                return CompactResult.Partial;
        }
        return CompactResult.Continue;
    }

    /// <summary>
    /// isolate_migratepages: one pageblock (from where the scanner stands to the block's end) of
    /// isolate_migratepages_range. False (ISOLATE_NONE) when the block would cross the free scanner.
    /// </summary>
    bool IsolateMigratepages(Zone zone)
    {
        int low = Math.Max(migratePfn, zone.StartPfn);
        int end = (low + PageblockPages) & ~(PageblockPages - 1);
        if (end > freePfn)
        {
            migratePfn = end;
            return false;
        }
        migratePfn = IsolateMigratepagesRange(zone, low, end);
        return true;
    }

    /// <summary>
    /// isolate_migratepages_range: LRU pages not under writeback, up to COMPACT_CLUSTER_MAX. A block
    /// with its skip bit set, or (for async compaction) one that is not movable, is passed over. A
    /// block scanned to its end without isolating a page gets its skip bit, and while nothing has
    /// been isolated in this run the cached start moves past it. Returns where the scan stopped.
    /// </summary>
    int IsolateMigratepagesRange(Zone zone, int low, int end)
    {
        var f = k.Frames;
        int nrIsolated = 0;
        int validPage = -1;
        int lastPageblock = -1;
        int pfn = low;
        for (; pfn < end; pfn++)
        {
            examined++;
            if (validPage < 0)
                validPage = pfn;
            int pageblock = pfn >> PageblockOrder;
            if (f.PageblockSkip[pageblock])
            {
                pfn = NextPageblock(pfn);
                lastPageblock = pageblock;
                continue;
            }
            var state = f.State[pfn];
            if (state == PageState.FreeHead || state == PageState.FreeTail)
                continue; // PageBuddy: skipped a frame at a time
            if (!sync && lastPageblock != pageblock && !AsyncSuitable(f.PageblockOf(pfn)))
            {
                finishedUpdateMigrate = true;
                pfn = NextPageblock(pfn);
                lastPageblock = pageblock;
                continue;
            }
            // !PageLRU, and __isolate_lru_page's refusal of a page under writeback (async); sync-light
            // migration would isolate it and fail with -EBUSY, leaving it where it is all the same.
            if ((state != PageState.Anon && state != PageState.File) || (f.Flags[pfn] & PageFlags.Writeback) != 0)
                continue;
            finishedUpdateMigrate = true;
            migrateList[nrMigrate++] = pfn;
            nrIsolated++;
            if (nrMigrate == ClusterMax)
            {
                pfn++;
                break;
            }
        }
        if (pfn == end && nrIsolated == 0 && validPage >= 0)
            UpdatePageblockSkip(zone, validPage, migrateScanner: true);
        return pfn;
    }

    /// <summary>The last frame of the pageblock holding <paramref name="pfn"/>: the loop's increment takes the scan to the next block.</summary>
    static int NextPageblock(int pfn) => ((pfn + PageblockPages) & ~(PageblockPages - 1)) - 1;

    /// <summary>migrate_async_suitable: a movable pageblock (there is no CMA here).</summary>
    static bool AsyncSuitable(MigrateType type) => type == MigrateType.Movable;

    /// <summary>
    /// update_pageblock_skip for a block where a scanner isolated nothing: set its skip bit, and
    /// move the zone's cached start for that scanner past it while this run has isolated nothing.
    /// </summary>
    void UpdatePageblockSkip(Zone zone, int pfn, bool migrateScanner)
    {
        k.Frames.PageblockSkip[pfn >> PageblockOrder] = true;
        if (migrateScanner)
        {
            if (!finishedUpdateMigrate && pfn > zone.CompactCachedMigratePfn)
                zone.CompactCachedMigratePfn = pfn;
        }
        else if (!finishedUpdateFree && pfn < zone.CompactCachedFreePfn)
            zone.CompactCachedFreePfn = pfn;
    }

    /// <summary>
    /// migrate_pages with compaction_alloc as the source of new pages: each isolated page moves into
    /// the next isolated free page. False (-ENOMEM) when the free scanner finds none.
    /// </summary>
    bool MigratePages(Zone zone)
    {
        // The migrate list was built by list_add, so the page isolated last moves first.
        for (int i = nrMigrate - 1; i >= 0; i--)
        {
            if (nrFree == 0)
            {
                // isolate_freepages runs until it holds cc->nr_migratepages, the whole batch.
                IsolateFreepages(zone, nrMigrate);
                if (nrFree == 0)
                {
                    // putback_movable_pages: the pages not moved go back to the head of their LRU.
                    for (int j = i; j >= 0; j--)
                        PutbackLruPage(zone, migrateList[j]);
                    nrMigrate = 0;
                    return false;
                }
            }
            MigratePage(zone, migrateList[i], freeList[--nrFree]);
        }
        nrMigrate = 0;
        return true;
    }

    /// <summary>putback_lru_page: an isolated page returns to the head of its LRU list, as lru_cache_add puts it.</summary>
    void PutbackLruPage(Zone zone, int pfn)
    {
        var f = k.Frames;
        ref var list = ref zone.Lrus[(int)f.LruOf(pfn)];
        list.Remove(f, pfn);
        list.AddHead(f, pfn);
    }

    /// <summary>
    /// isolate_freepages: from the free scanner down to the pageblock after the migrate scanner's,
    /// pageblock by pageblock, free pages from suitable targets until at least
    /// <paramref name="needed"/> are in hand. The scanner then restarts at the highest block it took
    /// pages from, since migration may have freed pages there since.
    /// </summary>
    void IsolateFreepages(Zone zone, int needed)
    {
        var f = k.Frames;
        int pfn = freePfn;
        int lowPfn = (migratePfn + PageblockPages) & ~(PageblockPages - 1);
        int highPfn = Math.Min(lowPfn, pfn);
        for (; pfn >= lowPfn && needed > nrFree; pfn -= PageblockPages)
        {
            examined++;
            if (pfn >= zone.EndPfn || pfn < zone.StartPfn)
                continue;
            if (!SuitableMigrationTarget(f, pfn) || f.PageblockSkip[pfn >> PageblockOrder])
                continue;
            int isolated = IsolateFreepagesBlock(zone, pfn, Math.Min(pfn + PageblockPages, zone.EndPfn));
            if (isolated > 0)
            {
                finishedUpdateFree = true;
                highPfn = Math.Max(highPfn, pfn);
            }
        }
        freePfn = highPfn;
    }

    /// <summary>
    /// suitable_migration_target (3.13), asked of the pageblock's first frame: never a
    /// MIGRATE_RESERVE block; a free block of pageblock order or more; otherwise a movable block.
    /// </summary>
    static bool SuitableMigrationTarget(PageFrames f, int pfn)
    {
        var type = f.PageblockOf(pfn);
        if (type == MigrateType.Reserve)
            return false;
        if (f.State[pfn] == PageState.FreeHead && f.Order[pfn] >= PageblockOrder)
            return true;
        return AsyncSuitable(type);
    }

    /// <summary>
    /// isolate_freepages_block: each free block met is split into order-0 pages (split_free_page),
    /// unless taking it would leave the zone below LOW + 2^order at order 0. A block scanned to its
    /// end without isolating a page gets its skip bit.
    /// </summary>
    int IsolateFreepagesBlock(Zone zone, int start, int end)
    {
        var f = k.Frames;
        int total = 0;
        int pfn = start;
        for (; pfn < end; pfn++)
        {
            examined++;
            if (f.State[pfn] != PageState.FreeHead)
                continue;
            int blockOrder = f.Order[pfn];
            if (!zone.WatermarkOk(0, zone.LowWmark + (1L << blockOrder), 0))
                continue;
            int n = 1 << blockOrder;
            Buddy.DelFromFreeArea(f, zone, pfn, blockOrder);
            // __isolate_free_page: a block of at least half a pageblock makes its pageblocks movable.
            if (blockOrder >= PageblockOrder - 1)
                for (int pb = pfn; pb < pfn + n; pb += PageblockPages)
                    if (f.PageblockOf(pb) != MigrateType.Reserve)
                        f.PageblockType[pb >> PageblockOrder] = MigrateType.Movable;
            EnsureFreeListRoom(n);
            for (int p = pfn; p < pfn + n; p++)
                freeList[nrFree++] = p;
            total += n;
            pfn += n - 1;
        }
        if (pfn >= end && total == 0)
            UpdatePageblockSkip(zone, start, migrateScanner: false);
        return total;
    }

    void EnsureFreeListRoom(int more)
    {
        if (nrFree + more > freeList.Length)
            Array.Resize(ref freeList, Math.Max(freeList.Length * 2, nrFree + more));
    }

    /// <summary>migrate_pages for one LRU page: the new frame takes its place on the LRU list and in the swap cache.</summary>
    void MigratePage(Zone zone, int from, int to)
    {
        var f = k.Frames;
        f.State[to] = f.State[from];
        f.Flags[to] = f.Flags[from];
        f.Owner[to] = f.Owner[from];
        f.SwapSlot[to] = f.SwapSlot[from];
        f.Order[to] = 0;
        k.Swap.MigrateCachePage(from, to);
        // The new page goes on at the head of the list (putback_lru_page), not in the old one's place.
        ref var list = ref zone.Lrus[(int)f.LruOf(from)];
        list.Remove(f, from);
        list.AddHead(f, to);
        // putback: the old frame is freed hot, as release_pages frees it, to the running CPU's
        // per-cpu list (pcp-lists on), where it does not count as free until a batch goes back to the
        // buddy lists or __alloc_pages_direct_compact drains the list after the run. So a run near
        // LOW can starve its own free scanner. Without the lists it goes straight to the buddy lists.
        k.PageAlloc.FreePage(from, cold: false);
    }
}
