using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Mm;

/// <summary>
/// Memory compaction (mm/compaction.c): a migrate scanner walks up from the zone start looking for
/// aligned blocks of the requested order that hold only free and movable (LRU) pages, a free scanner
/// walks down from the zone end isolating free pages, and the block's LRU pages are migrated into
/// them. Slab and kernel pages cannot move, so memory full of slab does not compact.
/// </summary>
internal sealed class Compaction(Kernel k)
{
    readonly int[] targets = new int[1 << Zone.MaxOrder];
    int targetCount;

    /// <summary>compaction_suitable(zone, order) != COMPACT_SKIPPED.</summary>
    public static bool Suitable(Zone zone, int order, long extfragThreshold) =>
        Watermarks.CompactionSuitable(zone.FreePages, zone.NrFree, zone.LowWmark, order, extfragThreshold);

    /// <summary>try_to_compact_pages: compact the zonelist's zones; a page of the order if one became free, else -1.</summary>
    public int TryToCompactPages(Zone[] zonelist, int order, int classzone, bool sync)
    {
        // COMPACT_SKIPPED (every zone deferred or unsuitable) is no stall; one that ran is, and then
        // a success or a failure (__alloc_pages_direct_compact).
        bool ran = false;
        foreach (var zone in zonelist)
        {
            if (zone.Index > k.HighZoneIdx || zone.CompactionDeferred(order))
                continue;
            if (!Suitable(zone, order, k.Scenario.ExtfragThreshold))
                continue;
            ran = true;
            CompactZone(zone, order);
            if (zone.WatermarkOk(order, zone.LowWmark, classzone))
            {
                int pfn = Buddy.Rmqueue(k.Frames, zone, order, MigrateType.Unmovable);
                if (pfn >= 0)
                {
                    zone.CompactionDeferReset(order);
                    k.Counters.Count(VmEvent.CompactStall);
                    k.Counters.Count(VmEvent.CompactSuccess);
                    return pfn;
                }
            }
            if (sync)
                zone.DeferCompaction(order);
        }
        if (ran)
        {
            k.Counters.Count(VmEvent.CompactStall);
            k.Counters.Count(VmEvent.CompactFail);
        }
        return -1;
    }

    /// <summary>
    /// compact_pgdat, as kswapd calls it for its node after a balancing pass that reclaimed pages.
    /// With scenario kswapd-compact-pgdat as 3.13's __compact_pgdat: compact_zone returns at once
    /// where compaction_suitable says COMPACT_SKIPPED, and a deferred zone still has its deferral
    /// reset once it passes LOW for the order. The model otherwise compacts every zone not deferred.
    /// </summary>
    public void CompactPgdat(Node node, int order)
    {
        bool faithful = k.Scenario.KswapdCompactPgdat;
        foreach (var zone in node.Zones)
        {
            if (!zone.CompactionDeferred(order))
            {
                if (!faithful || Suitable(zone, order, k.Scenario.ExtfragThreshold))
                    CompactZone(zone, order);
            }
            else if (!faithful)
                continue;
            if (zone.WatermarkOk(order, zone.LowWmark, 0))
                zone.CompactionDeferReset(order);
        }
    }

    /// <summary>compact_zone: runs until a free block of the order exists or the scanners meet.</summary>
    public void CompactZone(Zone zone, int order)
    {
        k.Counters.CompactionRuns++;
        k.SwapWriteback.EndDue();
        var f = k.Frames;
        int block = 1 << order;
        long examined = 0;
        int freeScanner = zone.EndPfn - 1;
        int migrate = Math.Max(zone.StartPfn, zone.CompactCachedMigratePfn) & ~(block - 1);
        if (migrate < zone.StartPfn)
            migrate += block;
        targetCount = 0;
        try
        {
            for (; migrate + block <= freeScanner; migrate += block)
            {
                if (zone.WatermarkOk(order, zone.LowWmark, 0) && zone.NrFree.AsSpan(order).IndexOfAnyExcept(0L) >= 0)
                    break;
                examined += block;
                int movable = 0;
                bool blocked = false;
                for (int p = migrate; p < migrate + block; p++)
                {
                    var st = f.State[p];
                    // A page under writeback is not isolated (async compaction's ISOLATE_ASYNC_MIGRATE).
                    if ((st == PageState.Anon || st == PageState.File) && (f.Flags[p] & PageFlags.Writeback) == 0)
                        movable++;
                    else if (st != PageState.FreeHead && st != PageState.FreeTail)
                    {
                        blocked = true;
                        break;
                    }
                }
                if (blocked || movable == 0)
                    continue;
                if (!IsolateFreepages(zone, migrate + block, ref freeScanner, movable, ref examined))
                    break;
                for (int p = migrate; p < migrate + block; p++)
                    if (f.State[p] == PageState.Anon || f.State[p] == PageState.File)
                        MigratePage(zone, p, targets[--targetCount]);
            }
            zone.CompactCachedMigratePfn = migrate + block > freeScanner ? zone.StartPfn : migrate;
        }
        finally
        {
            // release_freepages: unused isolated pages go back to the buddy lists.
            while (targetCount > 0)
                Buddy.FreeOnePage(f, zone, targets[--targetCount], 0);
            k.Cpu.Charge(Symbol.CompactZone, examined * k.Scenario.CostCompactPageNs);
        }
    }

    /// <summary>isolate_freepages: take free blocks from the top of the zone until <paramref name="needed"/> pages are in hand.</summary>
    bool IsolateFreepages(Zone zone, int lowLimit, ref int freeScanner, int needed, ref long examined)
    {
        var f = k.Frames;
        while (targetCount < needed)
        {
            // suitable_migration_target: never a MIGRATE_RESERVE pageblock.
            while (freeScanner >= lowLimit && (f.State[freeScanner] != PageState.FreeHead || f.PageblockOf(freeScanner) == MigrateType.Reserve))
            {
                freeScanner--;
                examined++;
            }
            if (freeScanner < lowLimit)
                return false;
            int head = freeScanner;
            int order = f.Order[head];
            if (head + (1 << order) > freeScanner + 1 && head < lowLimit)
                return false;
            if (targetCount + (1 << order) > targets.Length)
                return targetCount >= needed;
            Buddy.DelFromFreeArea(f, zone, head, order);
            for (int p = head + (1 << order) - 1; p >= head; p--)
                targets[targetCount++] = p;
            freeScanner = head - 1;
        }
        return true;
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
        zone.Lrus[(int)f.LruOf(from)].Replace(f, from, to);
        // putback: the old frame is freed; freeing resets pages_scanned as any free does. Migration
        // frees to the per-cpu lists, but the compacting CPU drains its own lists right after
        // (drain_pages in __alloc_pages_direct_compact), so the frame goes straight to the buddy lists.
        Buddy.FreeOnePage(f, zone, from, 0);
    }
}
