using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Swap;

/// <summary>
/// get_swap_page, scan_swap_map and swap_entry_free of Linux 3.13 (mm/swapfile.c) over the one swap
/// device. scan_swap_map follows the kernel's control flow (cluster_next, the cluster search, the
/// forward scan to highest_bit, the wrap-around from lowest_bit) but jumps between stopping points
/// with the device's bitmaps; its CPU cost is charged per entry the kernel would have walked.
/// </summary>
internal sealed class SwapOps(Kernel k)
{
    readonly SwapDevice? si = k.SwapDevice;
    // Free slots less the scans that have taken one or are walking for one, as the simulated scans left it.
    long nrSwapPages = k.SwapDevice?.Pages ?? 0;
    // Only with swap-scan-unlocked: the scans other CPUs may still be walking.
    readonly SwapScanTimeline? timeline = k.Scenario.SwapScanUnlocked ? new SwapScanTimeline() : null;

    /// <summary>
    /// nr_swap_pages: free slots as the allocator believes (decremented before a scan, restored on
    /// failure). With swap-scan-unlocked, a failing scan still walking holds its decrement for
    /// every other reader until it gives up.
    /// </summary>
    public long NrSwapPages => timeline is null ? nrSwapPages : nrSwapPages - timeline.FailingAt(k.StepClock);

    /// <summary>Whether a failed scan's outcome may be repeated without a walk (not while scans overlap in time).</summary>
    public bool FailureRepeats => timeline is null;

    /// <summary>The CPU a swap fault costs in do_swap_page, with or without a read.</summary>
    const long DoSwapPageNs = 2_000;

    public long TotalSwapPages => si?.Pages ?? 0;
    public long ScanCalls, ScanFailures, EntriesWalked;

    /// <summary>Swap-ins that found their page in the swap cache (swap_cache_info's find_success).</summary>
    public long SwapCacheHits { get; private set; }

    /// <summary>Changes whenever the map changes, so callers can reuse a failed scan's outcome for an identical retry.</summary>
    public long Generation { get; private set; }

    /// <summary>vm_swap_full(): more than half of swap in use.</summary>
    public bool VmSwapFull => NrSwapPages * 2 < TotalSwapPages;

    public SwapState State() => new()
    {
        Total = TotalSwapPages,
        Free = NrSwapPages,
        Used = si?.InusePages ?? 0,
        Cache = si?.SwapCachePages ?? 0,
        CacheOnly = si?.CacheOnlySlots ?? 0,
        Devices = si is null ? 0 : 1,
    };

    /// <summary>get_swap_page: a slot for a page entering the swap cache, or 0.</summary>
    public int GetSwapPage()
    {
        if (si is null)
            return 0;
        timeline?.Settle(k.Now);
        if (NrSwapPages <= 0)
            return 0;
        nrSwapPages--;
        k.FillCommon();
        bool deviceFull = si.InusePages == si.Pages;
        // 3.13 skips a device whose highest_bit is 0; after 18ab4d4ced08 a full device is off the avail list.
        if (si.HighestBit == 0 || (deviceFull && !k.Policy.SwapScanFullDevice(in k.Ctx)))
        {
            nrSwapPages++;
            return 0;
        }
        long start = k.StepClock;
        if (timeline is not null)
            si.ClusterNext = timeline.ClusterNextAt(start, si.ClusterNext);
        int clusterNextRead = si.ClusterNext;
        int offset = ScanSwapMap(SwapDevice.SwapHasCache);
        // 3.13's loop over swap_list wraps once before it gives up: with one device, that is a second scan.
        if (offset == 0 && k.Scenario.SwapScanTwice)
            offset = ScanSwapMap(SwapDevice.SwapHasCache);
        timeline?.Record(k.Now, k.Scheduler.Current?.Id ?? -1, start, k.StepClock, clusterNextRead, offset != 0 ? si.ClusterNext : 0);
        if (offset != 0)
            return offset;
        nrSwapPages++;
        return 0;
    }

    /// <summary>
    /// The cost of the next failing scan if nothing changes, for a caller that must fail many pages in
    /// a row against an unchanged map: it calls <see cref="GetSwapPage"/> once and then charges this.
    /// </summary>
    public long LastScanWalk { get; private set; }

    int ScanSwapMap(byte usage)
    {
        var s = si!;
        ScanCalls++;
        long walked = 0;
        bool skipLowest = k.Policy.SwapSkipLowestBit(in k.Ctx);
        bool reclaimCache = VmSwapFull && k.Policy.SwapReclaimCacheSlots(in k.Ctx);
        int offset = s.ClusterNext, scanBase = offset;

        if (s.ClusterNr-- == 0)
        {
            s.ClusterNr = SwapDevice.SwapfileCluster - 1;
            if (s.Pages - s.InusePages >= SwapDevice.SwapfileCluster)
            {
                // Locate the first empty (unaligned) cluster from lowest_bit (rotating media). If there is
                // none, the scan starts at lowest_bit, and scan_base stays there too: the wrap-around
                // then has nothing below it to skip.
                scanBase = offset = s.LowestBit;
                int found = FindFreeCluster(s, s.LowestBit, s.HighestBit, ref walked);
                if (found > 0)
                    s.ClusterNext = offset = found;
            }
        }

        for (int passes = 0; ; passes++)
        {
            if (passes > 4 * SwapDevice.SwapfileCluster)
                throw new InvalidOperationException($"scan_swap_map is not making progress at offset {offset} (lowest {s.LowestBit}, highest {s.HighestBit}, map {s.Map[Math.Min(offset, s.Max - 1)]}, cache page {s.CachePage[Math.Min(offset, s.Max - 1)]})");
            // checks:
            if (s.HighestBit == 0)
                return Done(0, walked);
            if (offset > s.HighestBit)
                scanBase = offset = s.LowestBit;
            if (reclaimCache && s.IsCacheOnly(offset))
            {
                if (TryToReclaimSwap(offset))
                    continue;
            }
            else if (s.IsFree(offset))
                return Done(Allocate(s, offset, usage), walked);

            // scan: forward to highest_bit, then wrap from lowest_bit up to scan_base.
            int next = s.FindNext(offset + 1, s.HighestBit, reclaimCache);
            if (next > 0)
            {
                walked += next - offset;
                offset = next;
                continue;
            }
            walked += Math.Max(0, s.HighestBit - offset);
            int from = skipLowest ? s.LowestBit + 1 : s.LowestBit;
            next = s.FindNext(from, scanBase - 1, reclaimCache);
            if (next > 0)
            {
                walked += next - from + 1;
                offset = next;
                continue;
            }
            walked += Math.Max(0, scanBase - from);
            ScanFailures++;
            return Done(0, walked);
        }
    }

    int Done(int offset, long walked)
    {
        EntriesWalked += walked;
        LastScanWalk = walked;
        k.Cpu.Charge(Symbol.ScanSwapMap, walked * k.Scenario.CostSwapMapEntryNs);
        return offset;
    }

    static int FindFreeCluster(SwapDevice s, int from, int to, ref long walked)
    {
        int run = 0;
        for (int offset = from; offset <= to; offset++)
        {
            walked++;
            if (s.Map[offset] != 0)
            {
                run = 0;
                int next = s.FindNext(offset + 1, to, false);
                if (next < 0)
                {
                    walked += to - offset;
                    return -1;
                }
                walked += next - offset - 1;
                offset = next - 1;
                continue;
            }
            if (++run == SwapDevice.SwapfileCluster)
                return offset - SwapDevice.SwapfileCluster + 1;
        }
        return -1;
    }

    int Allocate(SwapDevice s, int offset, byte usage)
    {
        if (offset == s.LowestBit)
            s.LowestBit++;
        if (offset == s.HighestBit)
            s.HighestBit--;
        s.InusePages++;
        if (s.InusePages == s.Pages)
        {
            s.LowestBit = s.Max;
            s.HighestBit = 0;
        }
        s.SetMap(offset, usage);
        s.ClusterNext = offset + 1;
        Generation++;
        return offset;
    }

    /// <summary>
    /// __try_to_reclaim_swap: free a slot held only by the swap cache. A page a process maps stays,
    /// now without swap; one no pte maps (its process exited while it was written out) loses its
    /// last reference with the swap cache's, and is freed.
    /// </summary>
    bool TryToReclaimSwap(int offset)
    {
        var s = si!;
        var f = k.Frames;
        int pfn = s.CachePage[offset];
        // try_to_free_swap leaves a page under writeback alone.
        if (pfn < 0 || (f.Flags[pfn] & PageFlags.Writeback) != 0)
            return false;
        if ((f.Flags[pfn] & PageFlags.Unmapped) == 0)
        {
            DeleteFromSwapCache(pfn);
            return true;
        }
        ref var list = ref k.ZoneOf(pfn).Lrus[(int)f.LruOf(pfn)];
        // A page reclaim has isolated is off its list and held by that pass, which frees it next.
        if (list.Head != pfn && f.Prev[pfn] < 0)
            return false;
        DeleteFromSwapCache(pfn);
        f.Flags[pfn] &= ~PageFlags.Unmapped;
        list.Remove(f, pfn);
        k.PageAlloc.FreePage(pfn, cold: false);
        return true;
    }

    /// <summary>swap_entry_free: drops one reference (a pte's count, or the cache's bit); frees the slot at zero.</summary>
    public void SwapEntryFree(int offset, bool cacheReference)
    {
        var s = si!;
        byte value = s.Map[offset];
        byte count = (byte)(value & ~SwapDevice.SwapHasCache);
        bool hasCache = (value & SwapDevice.SwapHasCache) != 0;
        if (cacheReference)
            hasCache = false;
        else if (count > 0)
            count--;
        byte usage = (byte)(count | (hasCache ? SwapDevice.SwapHasCache : 0));
        s.SetMap(offset, usage);
        Generation++;
        if (usage == 0)
        {
            if (offset < s.LowestBit)
                s.LowestBit = offset;
            if (offset > s.HighestBit)
                s.HighestBit = offset;
            nrSwapPages++;
            s.InusePages--;
            s.SlotOwner[offset] = -1;
        }
    }

    /// <summary>add_to_swap's success: the page enters the swap cache holding the slot.</summary>
    public void AddToSwapCache(int pfn, int offset)
    {
        var f = k.Frames;
        f.Flags[pfn] |= PageFlags.SwapCache;
        f.SwapSlot[pfn] = offset;
        si!.CachePage[offset] = pfn;
        si.SlotOwner[offset] = f.Owner[pfn];
    }

    /// <summary>delete_from_swap_cache + swapcache_free: the page leaves the swap cache and drops the cache's reference.</summary>
    public void DeleteFromSwapCache(int pfn)
    {
        var f = k.Frames;
        int offset = f.SwapSlot[pfn];
        f.Flags[pfn] &= ~PageFlags.SwapCache;
        f.SwapSlot[pfn] = -1;
        si!.CachePage[offset] = -1;
        SwapEntryFree(offset, cacheReference: true);
    }

    /// <summary>try_to_unmap for a swap-cache page: each pte becomes a swap entry, so the slot gains a reference.</summary>
    public void TryToUnmap(int pfn)
    {
        var s = si!;
        int offset = k.Frames.SwapSlot[pfn];
        s.SetMap(offset, (byte)(s.Map[offset] + 1));
        Generation++;
    }

    /// <summary>try_to_unmap, the write done at once, and __remove_mapping: the page leaves the swap cache, to be freed.</summary>
    public void UnmapToSwap(int pfn)
    {
        TryToUnmap(pfn);
        DeleteFromSwapCache(pfn);
    }

    /// <summary>Moves a swap-cache page's identity to a new frame (page migration).</summary>
    public void MigrateCachePage(int from, int to)
    {
        int offset = k.Frames.SwapSlot[from];
        if (offset >= 0)
            si!.CachePage[offset] = to;
    }

    /// <summary>
    /// do_swap_page for a process touching a swapped-out page: read it into a new frame in the swap
    /// cache, map it (the pte's reference becomes the page's), and free the slot if swap is over half
    /// full (try_to_free_swap). Returns false if no frame could be had.
    /// </summary>
    public bool SwapIn(int offset, int pfn)
    {
        ReadIntoSwapCache(offset, pfn);
        SwapEntryFree(offset, cacheReference: false);
        if (VmSwapFull)
            DeleteFromSwapCache(pfn);
        return true;
    }

    /// <summary>A slot holding a swapped-out page that is not in the swap cache (count 1, no cache bit).</summary>
    public bool IsSwappedOut(int offset) => si is not null && offset > 0 && offset < si.Max && si.Map[offset] == 1;

    /// <summary>
    /// do_swap_page when lookup_swap_cache finds the page: one swap readahead brought in, or one
    /// reclaim unmapped and is writing or has written out. There is no read and no new frame: the
    /// pte maps the page again and drops its reference to the slot, and while swap is over half
    /// full try_to_free_swap frees the slot, which it leaves to a page still under writeback.
    /// Returns the page.
    /// </summary>
    public int MapSwapCachePage(int offset)
    {
        int pfn = si!.CachePage[offset];
        var f = k.Frames;
        SwapCacheHits++;
        f.Flags[pfn] &= ~PageFlags.Unmapped;
        SwapEntryFree(offset, cacheReference: false);
        if (VmSwapFull && (f.Flags[pfn] & PageFlags.Writeback) == 0)
            DeleteFromSwapCache(pfn);
        k.Cpu.Charge(Symbol.DoSwapPage, DoSwapPageNs);
        return pfn;
    }

    /// <summary>
    /// read_swap_cache_async: the page is read into the swap cache; the slot keeps its pte's reference
    /// and gains the cache's. Readahead leaves the page there, unmapped; a fault then maps it (<see cref="SwapIn"/>).
    /// </summary>
    public void ReadIntoSwapCache(int offset, int pfn)
    {
        var s = si!;
        s.SetMap(offset, (byte)(s.Map[offset] | SwapDevice.SwapHasCache));
        AddToSwapCache(pfn, offset);
        Generation++;
        k.Counters.Count(VmEvent.PswpIn);
        k.Cpu.Charge(Symbol.DoSwapPage, DoSwapPageNs);
    }

    /// <summary>
    /// A random slot a pte refers to, or 0: one whose page has left the swap cache (count, no cache
    /// bit), or, with <paramref name="orInSwapCache"/>, also one whose page is still there.
    /// </summary>
    public int RandomSwappedSlot(Rng rng, bool orInSwapCache)
    {
        if (si is null || si.InusePages == 0)
            return 0;
        for (int tries = 0; tries < 64; tries++)
        {
            int offset = 1 + (int)rng.Next(si.Pages);
            byte usage = si.Map[offset];
            if (usage == 1 || (orInSwapCache && (usage & ~SwapDevice.SwapHasCache) != 0))
                return offset;
        }
        return 0;
    }
}
