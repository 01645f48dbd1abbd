using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Workload;

/// <summary>
/// The machine's other processes: their anonymous memory (owned pages on the anon LRU, or swap slots
/// once swapped out), the page cache they read, and the OOM killer that chooses among them.
/// </summary>
internal sealed class Processes(Kernel k)
{
    /// <summary>
    /// The processes the set-up starts, over which boot spreads the other processes' anon: long-running
    /// ones whose memory stays (0-7) and the memory hog (8).
    /// </summary>
    public const int Count = 9;
    public const int Hog = 8;
    /// <summary>The operator's login session (scenario session-at), which starts only while the rm runs.</summary>
    public const int Session = 9;
    /// <summary>Every process, the session's included.</summary>
    public const int All = 10;
    public readonly long[] Rss = new long[All];
    readonly bool[] killed = new bool[All];
    public bool OutOfVictims { get; private set; }
    public readonly List<(long At, string What)> Kills = [];

    /// <summary>A fault in a process: one anon page, placed at the head of the active anon list (lru_cache_add_active).</summary>
    public int FaultAnon(int process, ref AllocAttempt attempt)
    {
        int pfn = k.PageAlloc.AllocPages(GfpMasks.GFP_HIGHUSER_MOVABLE, 0, PageState.Anon, process, ref attempt);
        if (pfn < 0)
            return pfn;
        k.Frames.Flags[pfn] = PageFlags.Active;
        k.ZoneOf(pfn).Lrus[(int)Lru.ActiveAnon].AddHead(k.Frames, pfn);
        Rss[process]++;
        return pfn;
    }

    /// <summary>
    /// One step's batch of a process touching new anon memory: up to 256 faults, counting
    /// <paramref name="left"/> down. Null when the batch ran (the caller steps again while pages are
    /// left and the process lives); otherwise how long the task sleeps, an allocation having to wait
    /// for memory (resumed by <paramref name="attempt"/>) or having failed.
    /// </summary>
    public long? FaultAnonBatch(int process, ref long left, ref AllocAttempt attempt)
    {
        for (int n = 0; n < 256 && left > 0 && !IsDead(process); n++)
        {
            int r = FaultAnon(process, ref attempt);
            if (r == PageAllocator.Wait)
                return attempt.WaitNs;
            if (r < 0)
                return 20_000_000;
            left--;
        }
        return null;
    }

    /// <summary>A page-cache read: a new page on the inactive file list; hot pages (mapped executables) get referenced.</summary>
    public int ReadPageCache(bool hot, ref AllocAttempt attempt)
    {
        int pfn = k.PageAlloc.AllocPages(GfpMasks.GFP_HIGHUSER_MOVABLE, 0, PageState.File, -1, ref attempt);
        if (pfn < 0)
            return pfn;
        k.Frames.Flags[pfn] = hot ? PageFlags.Hot : PageFlags.None;
        k.ZoneOf(pfn).Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
        return pfn;
    }

    /// <summary>The owner of an anon page lost it to reclaim or migration bookkeeping.</summary>
    public void AnonFreed(int owner)
    {
        if (owner >= 0 && owner < All)
            Rss[owner]--;
    }

    /// <summary>A swap fault mapped an anon page of its owner's again (an owner of no process counts for none).</summary>
    void AnonMapped(int owner)
    {
        if (owner >= 0 && owner < All)
            Rss[owner]++;
    }

    /// <summary>
    /// out_of_memory: kill the process with the most memory (resident plus swap), freeing its pages
    /// and slots. Returns false when there is nothing left to kill.
    /// </summary>
    public bool OomKill(Gfp gfp, int order)
    {
        var swap = k.SwapDevice;
        var swapped = new long[All];
        if (swap is not null)
            for (int s = 1; s < swap.Max; s++)
                if (swap.SlotOwner[s] is >= 0 and < All && swap.Map[s] != 0)
                    swapped[swap.SlotOwner[s]]++;
        int victim = -1;
        for (int p = 0; p < All; p++)
            if (!killed[p] && Rss[p] + swapped[p] > 0 && (victim < 0 || Rss[p] + swapped[p] > Rss[victim] + swapped[victim]))
                victim = p;
        if (victim < 0)
        {
            OutOfVictims = true;
            return false;
        }
        k.Counters.OomKills++;
        Kills.Add((k.Now, $"Out of memory: Kill process {1000 + victim} (gfp_mask=0x{(uint)gfp:x}, order={order})"));
        Exit(victim);
        return true;
    }

    public bool IsDead(int process) => killed[process];

    /// <summary>
    /// A process touches one of its swapped-out pages, picked at random (do_swap_page). First
    /// swapin_readahead: with vm.page_cluster N, each other in-use slot of the 2^N-slot aligned window
    /// around it is read into a new frame that stays in the swap cache, unmapped, on the inactive anon
    /// list. Then the page itself: a frame from the page allocator, the page put on the active anon
    /// LRU (with <c>swapin-inactive</c>, on the inactive one with its pte young), its slot freed while
    /// swap is over half full. A fault that has to wait for memory resumes
    /// where it stopped (<paramref name="fault"/> holds its place). With <c>swap-cache-faults</c> the
    /// page may still be in the swap cache, and is then mapped again at once (<see cref="MapFromSwapCache"/>).
    /// Returns 1 when a page came back, 0 when no page is swapped out, or
    /// <see cref="PageAllocator.Failed"/> / <see cref="PageAllocator.Wait"/>.
    /// </summary>
    public int SwapInRandomPage(ref SwapFault fault, ref AllocAttempt attempt)
    {
        var swap = k.SwapDevice;
        if (fault.Slot == 0 || swap is null || !k.Swap.IsSwappedOut(fault.Slot))
        {
            int picked = k.Swap.RandomSwappedSlot(k.Rng, k.Scenario.SwapCacheFaults);
            if (picked == 0)
                return 0;
            if (swap!.CachePage[picked] >= 0)
                return MapFromSwapCache(picked);
            int mask = (1 << k.Scenario.PageCluster) - 1;
            fault = new SwapFault { Slot = picked, Next = Math.Max(1, picked & ~mask), End = Math.Min(picked | mask, swap!.Max - 1) };
        }
        for (; fault.Next <= fault.End; fault.Next++)
        {
            int offset = fault.Next;
            if (offset == fault.Slot || !k.Swap.IsSwappedOut(offset))
                continue; // read_swap_cache_async: a free slot or one already in the swap cache
            int owner = swap.SlotOwner[offset];
            int page = k.PageAlloc.AllocPages(GfpMasks.GFP_HIGHUSER_MOVABLE, 0, PageState.Anon, owner, ref attempt);
            if (page == PageAllocator.Wait)
                return page;
            if (page < 0)
            {
                fault.Next = fault.End + 1; // read_swap_cache_async gives up; readahead ends, the fault goes on
                break;
            }
            k.Swap.ReadIntoSwapCache(offset, page);
            k.Frames.Flags[page] = PageFlags.SwapCache | PageFlags.Unmapped;
            k.ZoneOf(page).Lrus[(int)Lru.InactiveAnon].AddHead(k.Frames, page);
        }
        int slot = fault.Slot;
        int faultOwner = swap.SlotOwner[slot];
        int pfn = k.PageAlloc.AllocPages(GfpMasks.GFP_HIGHUSER_MOVABLE, 0, PageState.Anon, faultOwner, ref attempt);
        if (pfn < 0)
            return pfn;
        fault = default;
        k.Swap.SwapIn(slot, pfn);
        // lru_cache_add_anon puts the page on the inactive list, its pte young (swapin-inactive);
        // the model otherwise puts it on the active list, where that young pte would take it.
        var lru = k.Scenario.SwapinInactive ? Lru.InactiveAnon : Lru.ActiveAnon;
        k.Frames.Flags[pfn] |= k.Scenario.SwapinInactive ? PageFlags.Referenced : PageFlags.Active;
        k.ZoneOf(pfn).Lrus[(int)lru].AddHead(k.Frames, pfn);
        AnonMapped(faultOwner);
        return 1;
    }

    /// <summary>
    /// A fault whose page lookup_swap_cache finds (<see cref="Swap.SwapOps.MapSwapCachePage"/>): the
    /// page is the process's again. With swapin-inactive it stays where it is, its pte young, as in
    /// 3.13. Otherwise, like the page of a fault that read it, it goes to the active anon list; one
    /// still under writeback stays on the inactive list, where end_page_writeback expects it.
    /// </summary>
    int MapFromSwapCache(int slot)
    {
        int owner = k.SwapDevice!.SlotOwner[slot];
        int pfn = k.Swap.MapSwapCachePage(slot);
        var f = k.Frames;
        if (k.Scenario.SwapinInactive)
            f.Flags[pfn] |= PageFlags.Referenced;
        else if ((f.Flags[pfn] & (PageFlags.Writeback | PageFlags.Active)) == 0)
        {
            var lrus = k.ZoneOf(pfn).Lrus;
            lrus[(int)f.LruOf(pfn)].Remove(f, pfn);
            f.Flags[pfn] |= PageFlags.Active;
            lrus[(int)Lru.ActiveAnon].AddHead(f, pfn);
        }
        AnonMapped(owner);
        return 1;
    }

    /// <summary>exit_mmap: the process's resident pages and swap slots are freed.</summary>
    public void Exit(int victim)
    {
        killed[victim] = true;
        var swap = k.SwapDevice;
        var f = k.Frames;
        k.SwapWriteback.EndDue();
        for (int pfn = 0; pfn < f.Count; pfn++)
        {
            if (f.State[pfn] != PageState.Anon || f.Owner[pfn] != victim)
                continue;
            // A page still being written to swap stays in the swap cache until reclaim frees it, and
            // the slot, its pte reference dropped below, with it. One a fault mapped again
            // (swap-cache-faults) loses that pte here.
            if ((f.Flags[pfn] & PageFlags.Writeback) != 0)
            {
                f.Flags[pfn] = (f.Flags[pfn] | PageFlags.Unmapped) & ~PageFlags.Referenced;
                continue;
            }
            var zone = k.ZoneOf(pfn);
            zone.Lrus[(int)f.LruOf(pfn)].Remove(f, pfn);
            if ((f.Flags[pfn] & PageFlags.SwapCache) != 0)
                k.Swap.DeleteFromSwapCache(pfn);
            k.PageAlloc.FreePage(pfn, cold: false);
        }
        Rss[victim] = 0;
        if (swap is not null)
            for (int s = 1; s < swap.Max; s++)
                if (swap.SlotOwner[s] == victim && (swap.Map[s] & ~Swap.SwapDevice.SwapHasCache) != 0)
                    k.Swap.SwapEntryFree(s, cacheReference: false);
    }
}
