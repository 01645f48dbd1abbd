using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Vmscan;

/// <summary>
/// shrink_zone of Linux 3.13: get_scan_count's split between anon and file, shrink_lruvec's loop in
/// SWAP_CLUSTER_MAX batches, shrink_inactive_list / shrink_page_list and shrink_active_list.
/// </summary>
internal sealed class LruScanner(Kernel k)
{
    readonly long[] nr = new long[4];
    /// <summary>get_scan_count's targets as it set them, before the loop counts <see cref="nr"/> down.</summary>
    readonly long[] targets = new long[4];
    readonly int[] isolated = new int[Reclaim.SwapClusterMax];

    /// <summary>
    /// shrink_zone: one shrink_lruvec, repeated as 3.13's reclaim/compaction loop does with the
    /// scenario's reclaim-compaction-loop (should_continue_reclaim).
    /// </summary>
    public void ShrinkZone(Zone zone, ScanState sc, long size)
    {
        long reclaimed, scanned;
        do
        {
            reclaimed = sc.NrReclaimed;
            scanned = sc.NrScanned;
            ShrinkLruvec(zone, sc, size);
        }
        while (k.Scenario.ReclaimCompactionLoop && ShouldContinueReclaim(zone, sc.NrReclaimed - reclaimed, sc.NrScanned - scanned, sc));
    }

    /// <summary>
    /// should_continue_reclaim: for a costly order (or any order above 0 below priority 10), go on
    /// while the last round reclaimed something (or, for __GFP_REPEAT, scanned something), until
    /// 2 &lt;&lt; order pages are reclaimed or the inactive lists are that small, and then while
    /// compaction would still be skipped for lack of free memory.
    /// </summary>
    bool ShouldContinueReclaim(Zone zone, long nrReclaimed, long nrScanned, ScanState sc)
    {
        if (sc.Order == 0 || (sc.Order <= Reclaim.PageAllocCostlyOrder && sc.Priority >= Reclaim.DefPriority - 2))
            return false;
        if ((sc.Gfp & Gfp.REPEAT) != 0 ? nrReclaimed == 0 && nrScanned == 0 : nrReclaimed == 0)
            return false;
        long pagesForCompaction = 2L << sc.Order;
        long inactive = zone.LruPages(Lru.InactiveFile) + (k.Swap.NrSwapPages > 0 ? zone.LruPages(Lru.InactiveAnon) : 0);
        if (sc.NrReclaimed < pagesForCompaction && inactive > pagesForCompaction)
            return true;
        return !Watermarks.CompactionSuitable(k.ZoneStateOf(zone, sc.Order), sc.Order);
    }

    /// <summary>shrink_lruvec: get_scan_count, then the lists in batches of SWAP_CLUSTER_MAX.</summary>
    void ShrinkLruvec(Zone zone, ScanState sc, long size)
    {
        GetScanCount(zone, sc, size);
        Array.Copy(nr, targets, nr.Length);
        long nrReclaimedAtStart = sc.NrReclaimed;
        bool scanAdjusted = false;
        while (nr[(int)Lru.InactiveAnon] > 0 || nr[(int)Lru.ActiveFile] > 0 || nr[(int)Lru.InactiveFile] > 0)
        {
            for (int l = 0; l < 4; l++)
            {
                if (nr[l] == 0)
                    continue;
                long n = Math.Min(nr[l], Reclaim.SwapClusterMax);
                nr[l] -= n;
                ShrinkList((Lru)l, (int)n, zone, sc);
            }
            if (sc.NrReclaimed - nrReclaimedAtStart < sc.NrToReclaim || scanAdjusted)
                continue;
            // Direct reclaim stops once it has its pages; kswapd goes on, in proportion.
            if (!sc.IsKswapd)
                break;
            ScanRestProportionally();
            scanAdjusted = true;
        }
        // shrink_lruvec ends as age_active_anon does.
        AgeActiveAnon(zone);
    }

    /// <summary>
    /// age_active_anon: with swap configured, deactivate a batch of active anon pages when inactive
    /// anon is low, "to give pages a chance to be referenced before reclaiming" (kswapd's background
    /// aging in balance_pgdat; scenario age-active-anon).
    /// </summary>
    public void AgeActiveAnon(Zone zone)
    {
        if (InactiveAnonIsLow(zone))
            ShrinkActiveList(Reclaim.SwapClusterMax, zone, Lru.ActiveAnon);
    }

    /// <summary>
    /// kswapd has reclaimed its goal in this lruvec (3.11's "obey proportional scanning requirements
    /// for kswapd"): stop the type, anon or file, with less left to scan, and cut the other's
    /// remaining scan so that both end at the same fraction of get_scan_count's targets. With one
    /// type alone the other's fraction is 0 and the scan goes on to its full target; 3.16 added the
    /// early stop for that case.
    /// </summary>
    void ScanRestProportionally()
    {
        const int anon = (int)Lru.InactiveAnon, file = (int)Lru.InactiveFile, active = 1;
        long nrFile = nr[file] + nr[file + active];
        long nrAnon = nr[anon] + nr[anon + active];
        int smaller = nrFile > nrAnon ? anon : file;
        long percentage = (smaller == anon ? nrAnon : nrFile) * 100 / (targets[smaller] + targets[smaller + active] + 1);
        nr[smaller] = nr[smaller + active] = 0;
        int other = smaller == anon ? file : anon;
        for (int l = other; l <= other + active; l++)
        {
            long scanned = targets[l] - nr[l];
            nr[l] = targets[l] * (100 - percentage) / 100;
            nr[l] -= Math.Min(nr[l], scanned);
        }
    }

    void ShrinkList(Lru lru, int n, Zone zone, ScanState sc)
    {
        if (lru.IsActive())
        {
            if (lru.IsFile() ? InactiveFileIsLow(zone) : InactiveAnonIsLow(zone))
                ShrinkActiveList(n, zone, lru);
            return;
        }
        ShrinkInactiveList(n, zone, sc, lru);
    }

    /// <summary>Reclaim by an allocating task, not by kswapd or drop_caches.</summary>
    static bool IsDirect(ScanState sc) => !sc.IsKswapd && !sc.IsDropCaches;

    bool InactiveFileIsLow(Zone zone) => zone.LruPages(Lru.ActiveFile) > zone.LruPages(Lru.InactiveFile);

    /// <summary>inactive_anon_is_low: inactive * inactive_ratio &lt; active, with the ratio sqrt(10 * zone GiB).</summary>
    bool InactiveAnonIsLow(Zone zone)
    {
        if (k.Swap.TotalSwapPages == 0)
            return false;
        long gb = zone.ManagedPages >> 18;
        long ratio = gb > 0 ? (long)Math.Sqrt(10 * gb) : 1;
        return zone.LruPages(Lru.InactiveAnon) * ratio < zone.LruPages(Lru.ActiveAnon);
    }

    /// <summary>get_scan_count: how many pages of each list this priority scans.</summary>
    void GetScanCount(Zone zone, ScanState sc, long size)
    {
        k.FillCommon();
        k.FillZone(zone, sc.Order);
        k.FillRequest(sc.Gfp, sc.Order, size, sc.IsKswapd);
        k.Ctx.Scan = sc.ToContext();
        bool scanAnon = sc.MaySwap && k.Policy.ReclaimScanAnon(in k.Ctx);
        bool scanFile = k.Policy.ReclaimScanFile(in k.Ctx);
        long swappiness = Math.Clamp(k.Policy.ReclaimSwappiness(in k.Ctx), 0, 200);

        ScanBalanceKind balance;
        long ap = 0, fp = 0, denominator = 1;
        bool forceScan = sc.IsKswapd && !zone.IsReclaimable(k.Swap.NrSwapPages);
        if (!scanAnon)
            balance = ScanBalanceKind.File;
        else if (!scanFile)
            balance = ScanBalanceKind.Anon;
        else if (sc.Priority == 0 && swappiness > 0)
            balance = ScanBalanceKind.Equal;
        else if (zone.FilePages + zone.FreePages <= zone.HighWmark)
            balance = ScanBalanceKind.Anon;
        else if (!InactiveFileIsLow(zone))
            balance = ScanBalanceKind.File;
        else
        {
            balance = ScanBalanceKind.Fract;
            long anonPrio = swappiness, filePrio = 200 - swappiness;
            long anon = zone.AnonPages, file = zone.FilePages;
            if (zone.RecentScanned[0] > anon / 4)
            {
                zone.RecentScanned[0] /= 2;
                zone.RecentRotated[0] /= 2;
            }
            if (zone.RecentScanned[1] > file / 4)
            {
                zone.RecentScanned[1] /= 2;
                zone.RecentRotated[1] /= 2;
            }
            ap = anonPrio * (zone.RecentScanned[0] + 1) / (zone.RecentRotated[0] + 1);
            fp = filePrio * (zone.RecentScanned[1] + 1) / (zone.RecentRotated[1] + 1);
            denominator = ap + fp + 1;
        }
        if (IsDirect(sc))
            zone.DirectReclaim.ScanBalance[(int)balance]++;
        for (int l = 0; l < 4; l++)
        {
            bool file = ((Lru)l).IsFile();
            long lruSize = zone.LruPages((Lru)l);
            long scan = lruSize >> sc.Priority;
            if (scan == 0 && forceScan)
                scan = Math.Min(lruSize, Reclaim.SwapClusterMax);
            nr[l] = balance switch
            {
                ScanBalanceKind.Equal => scan,
                ScanBalanceKind.Fract => scan * (file ? fp : ap) / denominator,
                ScanBalanceKind.File => file ? scan : 0,
                _ => file ? 0 : scan,
            };
        }
    }

    /// <summary>shrink_active_list: referenced executable file pages rotate; everything else is deactivated.</summary>
    void ShrinkActiveList(int n, Zone zone, Lru lru)
    {
        var f = k.Frames;
        ref var active = ref zone.Lrus[(int)lru];
        ref var inactive = ref zone.Lrus[(int)lru - 1];
        int file = lru.IsFile() ? 1 : 0;
        long rotated = 0;
        int taken = 0;
        while (taken < n && active.Tail >= 0)
        {
            int pfn = active.Tail;
            active.Remove(f, pfn);
            taken++;
            if ((f.Flags[pfn] & PageFlags.Hot) != 0)
            {
                rotated++;
                // Referenced executable file pages keep their place (VM_EXEC); other referenced pages
                // are deactivated and get referenced again on the inactive list. Half the hot page
                // cache is executable text.
                if (file == 1 && (pfn & 1) == 0)
                {
                    active.AddHead(f, pfn);
                    continue;
                }
            }
            f.Flags[pfn] &= ~PageFlags.Active;
            inactive.AddHead(f, pfn);
        }
        zone.RecentScanned[file] += taken;
        zone.RecentRotated[file] += rotated;
        zone.PagesScanned += taken; // 3.13 counts active-list scanning in zone->pages_scanned too
        k.Cpu.Charge(Symbol.IsolateLruPages, taken * k.Scenario.CostIsolatePageNs);
    }

    /// <summary>shrink_inactive_list + shrink_page_list over up to <paramref name="n"/> pages from the list's tail.</summary>
    void ShrinkInactiveList(int n, Zone zone, ScanState sc, Lru lru)
    {
        var f = k.Frames;
        ref var list = ref zone.Lrus[(int)lru];
        int file = lru.IsFile() ? 1 : 0;
        if (file == 0)
            k.SwapWriteback.EndDue();
        int taken = 0;
        while (taken < n && list.Tail >= 0)
        {
            int pfn = list.Tail;
            list.Remove(f, pfn);
            isolated[taken++] = pfn;
        }
        if (taken == 0)
            return;
        k.Cpu.Charge(Symbol.IsolateLruPages, taken * k.Scenario.CostIsolatePageNs);
        zone.PagesScanned += taken;
        zone.RecentScanned[file] += taken;
        sc.NrScanned += taken;
        k.Counters.Count(sc.IsKswapd ? VmEvent.PgscanKswapd : VmEvent.PgscanDirect, taken);
        if (IsDirect(sc))
        {
            if (file == 1)
                zone.DirectReclaim.FileScanned += taken;
            else
                zone.DirectReclaim.AnonScanned += taken;
        }

        long activated = 0, reclaimed = 0, nrWriteback = 0, nrImmediate = 0;
        long failedSwapGeneration = -1;
        for (int i = 0; i < taken; i++)
        {
            int pfn = isolated[i];
            k.Cpu.Charge(Symbol.ShrinkPageList, k.Scenario.CostShrinkPageNs);
            // "Double the slab pressure for mapped and swapcache pages": a process's anon page (unless
            // readahead brought it in unmapped), a hot executable page, any swap-cache page.
            if (k.Scenario.DoubleSlabPressure &&
                ((f.Flags[pfn] & PageFlags.SwapCache) != 0 || (file == 0 ? (f.Flags[pfn] & PageFlags.Unmapped) == 0 : (f.Flags[pfn] & PageFlags.Hot) != 0)))
                sc.NrScanned++;
            if ((f.Flags[pfn] & PageFlags.Writeback) != 0)
            {
                // Still being written, back to the list (keep_locked). Every write here is reclaim's
                // own (PageReclaim), so kswapd in a zone flagged ZONE_WRITEBACK counts it as
                // nr_immediate; any other pass sets PageReclaim again and counts it as nr_writeback.
                if (sc.IsKswapd && zone.ReclaimWriteback)
                    nrImmediate++;
                else
                    nrWriteback++;
                list.AddHead(f, pfn);
                continue;
            }
            if ((f.Flags[pfn] & PageFlags.Referenced) != 0)
            {
                // A young pte from the fault that mapped it: page_check_references gives
                // PAGEREF_ACTIVATE, and page_referenced clears the bit. activate_locked gives up the
                // page's swap slot, now that it is not to be swapped, while swap is over half full.
                f.Flags[pfn] &= ~PageFlags.Referenced;
                if ((f.Flags[pfn] & PageFlags.SwapCache) != 0 && k.Swap.VmSwapFull)
                    k.Swap.DeleteFromSwapCache(pfn);
                Activate(zone, pfn, file);
                activated++;
                continue;
            }
            if ((f.Flags[pfn] & PageFlags.Hot) != 0)
            {
                // page_referenced: a page in use goes back to the active list.
                Activate(zone, pfn, file);
                activated++;
                continue;
            }
            if (file == 0)
            {
                if ((f.Flags[pfn] & PageFlags.SwapCache) == 0)
                {
                    if (!sc.MayIo)
                    {
                        list.AddHead(f, pfn);
                        continue;
                    }
                    // add_to_swap → get_swap_page. Against an unchanged map a failed scan fails the same
                    // way again, so repeat its cost instead of repeating the walk (unless scans on other
                    // CPUs overlap it in time, which can change where the next one starts).
                    int slot;
                    if (failedSwapGeneration == k.Swap.Generation && k.Swap.NrSwapPages > 0 && k.Swap.FailureRepeats)
                    {
                        int scans = k.Scenario.SwapScanTwice ? 2 : 1;
                        k.Cpu.Charge(Symbol.ScanSwapMap, scans * k.Swap.LastScanWalk * k.Scenario.CostSwapMapEntryNs);
                        k.Swap.EntriesWalked += scans * k.Swap.LastScanWalk;
                        k.Swap.ScanCalls += scans;
                        k.Swap.ScanFailures += scans;
                        slot = 0;
                    }
                    else
                        slot = k.Swap.GetSwapPage();
                    if (slot == 0)
                    {
                        failedSwapGeneration = k.Swap.Generation;
                        Activate(zone, pfn, file);
                        activated++;
                        continue;
                    }
                    k.Swap.AddToSwapCache(pfn, slot);
                    k.Counters.Count(VmEvent.PswpOut); // a page new to the swap cache is dirty: pageout writes it
                    if (k.Scenario.SwapWriteLatency > 0)
                    {
                        // try_to_unmap, then pageout: swap_writepage starts the write and PAGE_SUCCESS
                        // with PageWriteback goes to keep. The page waits on the list, holding its slot.
                        k.Swap.TryToUnmap(pfn);
                        k.Processes.AnonFreed(f.Owner[pfn]);
                        f.Flags[pfn] |= PageFlags.Unmapped;
                        k.SwapWriteback.Start(pfn);
                        list.AddHead(f, pfn);
                        continue;
                    }
                }
                if ((f.Flags[pfn] & PageFlags.Unmapped) != 0)
                {
                    // A swap-cache page no pte maps (read ahead, or written out): clean, so
                    // __remove_mapping drops it from the swap cache and the slot keeps the process's reference.
                    f.Flags[pfn] &= ~PageFlags.Unmapped;
                    k.Swap.DeleteFromSwapCache(pfn);
                }
                else
                {
                    // pageout (instantaneous clean write), try_to_unmap, __remove_mapping.
                    k.Swap.UnmapToSwap(pfn);
                    k.Processes.AnonFreed(f.Owner[pfn]);
                }
            }
            // free_hot_cold_page_list(&free_pages, 1): reclaimed pages are freed cold.
            k.PageAlloc.FreePage(pfn, cold: true);
            reclaimed++;
        }
        zone.RecentRotated[file] += activated;
        // Pages taken faster than they are written: flag the zone, and stall kswapd once it meets
        // them there (nr_immediate). Anon pages never count as unqueued dirty ones, and the page
        // cache here is clean, so nr_unqueued_dirty == nr_taken does not arise.
        if (nrWriteback > 0 && nrWriteback == taken)
            zone.ReclaimWriteback = true;
        if (nrImmediate > 0)
            sc.CongestionWaits++;
        sc.NrReclaimed += reclaimed;
        k.Counters.Count(sc.IsKswapd ? VmEvent.PgstealKswapd : VmEvent.PgstealDirect, reclaimed);
        if (sc.IsKswapd)
            k.Counters.KswapdPagesReclaimed += reclaimed;
    }

    void Activate(Zone zone, int pfn, int file)
    {
        k.Frames.Flags[pfn] |= PageFlags.Active;
        zone.Lrus[file * 2 + 1].AddHead(k.Frames, pfn);
    }
}
