using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Swap;
using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Tests;

/// <summary>
/// swap-write-latency: 3.13's pageout leaves a swapped page under writeback on the inactive list;
/// end_page_writeback rotates it to the tail and a later scan frees it.
/// </summary>
public class SwapWritebackTests
{
    const int AnonPages = 64;
    internal const long Latency = 10_000_000; // 10 ms: each write ends that long after the moment its pass had reached

    /// <summary>A zone with nothing free and <paramref name="pages"/> pages of process 0 on its inactive anon list.</summary>
    internal static (Kernel K, Zone Zone, List<int> Held) InactiveAnonZone(string latency, string swap = "4M", int pages = AnonPages, string kswapdLoop = "off", string swapCacheFaults = "off",
        string swapinInactive = "off")
    {
        var k = TestMachine.Kernel(TestMachine.Tiny(swap: swap).WithOverride("swap-write-latency", latency).WithOverride("kswapd-loop", kswapdLoop)
            .WithOverride("swap-cache-faults", swapCacheFaults).WithOverride("swapin-inactive", swapinInactive));
        var zone = k.HighestZone;
        var taken = TestMachine.TakeAll(k, zone, 0);
        foreach (int pfn in taken.Take(pages))
        {
            k.Frames.State[pfn] = PageState.Anon;
            k.Frames.Owner[pfn] = 0;
            k.Processes.Rss[0]++;
            zone.Lrus[(int)Lru.InactiveAnon].AddHead(k.Frames, pfn);
        }
        // The rest of the zone is held as memory outside the model's accounting, so the invariants hold.
        var held = taken.Skip(pages).ToList();
        foreach (int pfn in held)
            k.Frames.State[pfn] = PageState.Reserved;
        return (k, zone, held);
    }

    /// <summary>
    /// A reclaim pass at priority 0, where get_scan_count's SCAN_EQUAL takes the whole anon list: a
    /// GFP_NOFS direct reclaimer's, or with <paramref name="kswapd"/> the shrink_zone of kswapd_shrink_zone.
    /// </summary>
    internal static ScanState PriorityZeroPass(Kernel k, Zone zone, bool kswapd = false)
    {
        var sc = new ScanState();
        sc.Reset(kswapd ? GfpMasks.GFP_KERNEL : GfpMasks.GFP_NOFS, 0, Reclaim.SwapClusterMax, isKswapd: kswapd);
        sc.Priority = 0;
        k.Reclaim.Lru.ShrinkZone(zone, sc, 0);
        k.Cpu.StepNs = 0; // the step ends, as the scheduler ends it
        return sc;
    }

    /// <summary>
    /// Reclaim passes until the zone's inactive anon list is empty. The passes are bounded, so a page
    /// reclaim can no longer free fails the test instead of hanging it.
    /// </summary>
    internal static void ReclaimAll(Kernel k, Zone zone)
    {
        for (int pass = 0; pass < 100 && zone.LruPages(Lru.InactiveAnon) > 0; pass++)
            PriorityZeroPass(k, zone);
        Assert.Equal(0, zone.LruPages(Lru.InactiveAnon));
    }

    static IEnumerable<int> Pages(Kernel k, Zone zone, Lru lru)
    {
        for (int pfn = zone.Lrus[(int)lru].Head; pfn >= 0; pfn = k.Frames.Next[pfn])
            yield return pfn;
    }

    [Fact]
    public void Without_a_latency_a_swapped_page_is_freed_in_the_pass_that_swapped_it()
    {
        var (k, zone, _) = InactiveAnonZone("0");
        var sc = PriorityZeroPass(k, zone);
        // Direct reclaim stops once it has its 32 pages.
        Assert.Equal(Reclaim.SwapClusterMax, sc.NrReclaimed);
        Assert.Equal(Reclaim.SwapClusterMax, zone.FreePages);
        Assert.Equal(Reclaim.SwapClusterMax, k.SwapDevice!.InusePages);
        Assert.Equal(0, k.SwapWriteback.Started);
        Invariants.Check(k);
    }

    [Fact]
    public void With_a_latency_the_pass_that_swaps_frees_nothing_and_the_pages_wait_on_the_list_holding_their_slots()
    {
        var (k, zone, _) = InactiveAnonZone("10ms");
        var sc = PriorityZeroPass(k, zone);
        // Nothing is reclaimed, so the pass never reaches its goal and swaps the whole list.
        Assert.Equal(0, sc.NrReclaimed);
        Assert.Equal(0, zone.FreePages);
        Assert.Equal(AnonPages, k.SwapDevice!.InusePages);
        Assert.Equal(AnonPages, k.SwapWriteback.Pages);
        Assert.Equal(AnonPages, zone.LruPages(Lru.InactiveAnon));
        Assert.All(Pages(k, zone, Lru.InactiveAnon), pfn =>
            Assert.Equal(PageFlags.SwapCache | PageFlags.Unmapped | PageFlags.Writeback, k.Frames.Flags[pfn]));
        // try_to_unmap ran: the ptes are swap entries, so each slot has the pte's count and the cache's bit.
        Assert.All(Pages(k, zone, Lru.InactiveAnon), pfn =>
            Assert.Equal(1 | SwapDevice.SwapHasCache, k.SwapDevice.Map[k.Frames.SwapSlot[pfn]]));
        Assert.Equal(0, k.Processes.Rss[0]);
        Invariants.Check(k);

        // A second pass before the writes end passes over every page.
        sc = PriorityZeroPass(k, zone);
        Assert.Equal(0, sc.NrReclaimed);
        Assert.Equal(AnonPages, k.SwapWriteback.Pages);
        Assert.Equal(AnonPages, k.SwapDevice.InusePages);
    }

    [Fact]
    public void A_pass_that_takes_only_pages_under_writeback_flags_the_zone_and_kswapd_meeting_them_there_owes_a_congestion_wait()
    {
        var (k, zone, _) = InactiveAnonZone("10ms");
        // The first pass starts the writes: no page it took was under writeback yet.
        PriorityZeroPass(k, zone);
        Assert.False(zone.ReclaimWriteback);
        // The second takes nothing else: nr_writeback == nr_taken flags ZONE_WRITEBACK. Direct
        // reclaim counts them as nr_writeback, never nr_immediate, so it owes no wait.
        var sc = PriorityZeroPass(k, zone);
        Assert.True(zone.ReclaimWriteback);
        Assert.Equal(0, sc.CongestionWaits);
        // kswapd meets them in the flagged zone (nr_immediate): one HZ/10 wait for each of the two
        // batches of 32 that shrink_lruvec hands shrink_inactive_list.
        sc = PriorityZeroPass(k, zone, kswapd: true);
        Assert.Equal(2, sc.CongestionWaits);
        Assert.Equal(0, sc.NrReclaimed);
    }

    [Fact]
    public void Kswapd_in_an_unflagged_zone_flags_it_with_its_first_batch_and_stalls_on_the_next()
    {
        var (k, zone, _) = InactiveAnonZone("10ms");
        PriorityZeroPass(k, zone);
        zone.ReclaimWriteback = false;
        // The first batch of 32 takes only pages under writeback and flags the zone; the second,
        // in the same shrink_zone, meets them there.
        var sc = PriorityZeroPass(k, zone, kswapd: true);
        Assert.True(zone.ReclaimWriteback);
        Assert.Equal(1, sc.CongestionWaits);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("on")]
    public void Kswapd_sleeps_its_congestion_waits_off_in_d_state_and_clears_the_flag(string kswapdLoop)
    {
        // 512 pages under ten-second writes. kswapd_shrink_zone clears the flag after each zone, so
        // only a pass that hands shrink_inactive_list two batches stalls: priority 3 (512 >> 3 = 64),
        // whose first batch flags the zone and whose second meets the pages there.
        const int pages = 512;
        var (k, zone, _) = InactiveAnonZone("10s", pages: pages, kswapdLoop: kswapdLoop);
        PriorityZeroPass(k, zone);
        Assert.Equal(pages, k.SwapWriteback.Pages);

        k.Kswapd.Wakeup(zone, 0, zone.Index);
        long sleep = k.Kswapd.Step(0);

        Assert.Equal(100_000_000, sleep);
        Assert.False(zone.ReclaimWriteback);
        Assert.Equal(0, k.Counters.KswapdPagesReclaimed);
        // The scheduler wakes it the wait after the step's own CPU time; all of that wait is D state.
        long wakes = k.Cpu.StepNs + sleep;
        Assert.Equal(sleep, k.Kswapd.DStateNsByWaitChannel(wakes)[ReclaimWaitChannels.CongestionWait]);
        Invariants.Check(k);
    }

    [Fact]
    public void An_ended_write_puts_its_page_at_the_tail_and_the_next_scan_frees_it_without_a_new_slot()
    {
        var (k, zone, _) = InactiveAnonZone("10ms");
        PriorityZeroPass(k, zone);
        k.Scheduler.AdvanceTo(2 * Latency);
        long walked = k.Swap.EntriesWalked;
        var sc = PriorityZeroPass(k, zone);
        Assert.Equal(Reclaim.SwapClusterMax, sc.NrReclaimed);
        Assert.Equal(Reclaim.SwapClusterMax, zone.FreePages);
        Assert.Equal(AnonPages, k.SwapWriteback.Rotated);
        Assert.Equal(0, k.SwapWriteback.Pages);
        // No get_swap_page: the freed pages' slots keep their ptes' references, without the cache's.
        Assert.Equal(walked, k.Swap.EntriesWalked);
        Assert.Equal(AnonPages, k.SwapDevice!.InusePages);
        Assert.Equal(Reclaim.SwapClusterMax, Enumerable.Range(1, k.SwapDevice.Pages).Count(s => k.SwapDevice.Map[s] == 1));
        Invariants.Check(k);
    }

    [Fact]
    public void Writes_end_in_the_order_they_started_and_not_before_the_latency()
    {
        var (k, zone, _) = InactiveAnonZone("10ms");
        PriorityZeroPass(k, zone);
        k.Scheduler.AdvanceTo(Latency - 1);
        k.SwapWriteback.EndDue();
        Assert.Equal(0, k.SwapWriteback.Rotated);
        k.Scheduler.AdvanceTo(2 * Latency);
        k.SwapWriteback.EndDue();
        // Each ended write moves its page to the tail, so the last write to end is the tail, the
        // page the next scan takes first; slots were handed out in write order.
        Assert.Equal(AnonPages, k.SwapWriteback.Rotated);
        var order = Pages(k, zone, Lru.InactiveAnon).ToList();
        Assert.Equal(order.OrderBy(pfn => k.Frames.SwapSlot[pfn]), order);
    }

    [Fact]
    public void The_largest_latency_is_a_write_that_never_ends()
    {
        var (k, zone, _) = InactiveAnonZone($"{long.MaxValue}ns");
        k.Scheduler.AdvanceTo(Latency);
        PriorityZeroPass(k, zone);
        k.Scheduler.AdvanceTo(long.MaxValue / 2);
        k.SwapWriteback.EndDue();
        Assert.Equal(0, k.SwapWriteback.Rotated);
        Assert.Equal(AnonPages, k.SwapWriteback.Pages);
    }

    [Fact]
    public void Compaction_does_not_move_a_page_under_writeback()
    {
        var (k, zone, held) = InactiveAnonZone("10ms");
        PriorityZeroPass(k, zone);
        var before = Pages(k, zone, Lru.InactiveAnon).ToHashSet();
        // Free every other page of the zone's upper half: order-0 holes that compaction could move
        // the pages to, and no free pair of pages, so an order-2 request sends it looking (its
        // fragmentation index is 750, above extfrag_threshold).
        foreach (int pfn in held.Where(p => p >= (zone.StartPfn + zone.EndPfn) / 2 && p % 2 == 0))
            k.PageAlloc.FreePage(pfn, cold: false);
        Assert.Equal(0, zone.NrFree[1]);
        long runs = k.Counters.CompactionRuns;
        k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Movable, isKswapd: false);
        Assert.Equal(runs + 1, k.Counters.CompactionRuns);
        Assert.Equal(before, Pages(k, zone, Lru.InactiveAnon).ToHashSet());
        Invariants.Check(k);
    }

    [Fact]
    public void An_exiting_process_leaves_its_pages_under_writeback_and_reclaim_frees_them_with_their_slots()
    {
        var (k, zone, _) = InactiveAnonZone("10ms");
        PriorityZeroPass(k, zone);
        k.Processes.Exit(0);
        // The exit dropped each pte's reference; the swap cache keeps each slot until its page goes.
        Assert.Equal(AnonPages, zone.LruPages(Lru.InactiveAnon));
        Assert.Equal(AnonPages, k.SwapDevice!.CacheOnlySlots);
        Invariants.Check(k);

        k.Scheduler.AdvanceTo(2 * Latency);
        ReclaimAll(k, zone);
        Assert.Equal(0, k.SwapDevice.InusePages);
        Assert.Equal(AnonPages, zone.FreePages);
        Invariants.Check(k);
    }

    [Fact]
    public void A_full_swap_scan_does_not_take_back_the_slot_of_a_page_under_writeback()
    {
        // 127 slots, 64 of them cache-only once the process has gone: vm_swap_full, so
        // scan_swap_map tries __try_to_reclaim_swap on each, and try_to_free_swap refuses a page
        // under writeback. The scan goes on to the first free slot.
        var (k, zone, _) = InactiveAnonZone("10ms", swap: "508k");
        PriorityZeroPass(k, zone);
        k.Processes.Exit(0);
        var si = k.SwapDevice!;
        Assert.True(k.Swap.VmSwapFull);
        Assert.Equal(SwapDevice.SwapHasCache, si.Map[1]);
        Invariants.Check(k);
        si.ClusterNext = 1;
        Assert.Equal(AnonPages + 1, k.Swap.GetSwapPage());
        Assert.All(Enumerable.Range(1, AnonPages), slot =>
            Assert.Equal(PageFlags.Writeback, k.Frames.Flags[si.CachePage[slot]] & PageFlags.Writeback));
    }

    [Fact]
    public void A_run_with_swap_writes_in_flight_keeps_every_page_accounted_for_and_repeats_itself()
    {
        // small swaps during its set-up: invariants at every sample (each page under writeback an
        // unmapped swap-cache page on an inactive anon list, one per write in flight), and the
        // same trace twice.
        var report = TestMachine.RunTwiceAlike(BuiltinScenarios.Small.WithOverride("swap-write-latency", "10ms").WithOverride("duration", "60s"));
        Assert.Equal(320_000, report.Progress.FilesCreated);
    }

    [Fact]
    public void A_full_swap_scan_frees_a_written_page_whose_process_has_gone_with_its_slot()
    {
        // The process exits while its pages are written; once written, each is in the swap cache
        // only. vm_swap_full's __try_to_reclaim_swap drops the cache's reference, the page's last,
        // so the page is freed and leaves the LRU (in the model it had stayed, an anon page of no
        // one that reclaim then swapped out again, driving the process's RSS below 0).
        var (k, zone, _) = InactiveAnonZone("10ms", swap: "508k");
        PriorityZeroPass(k, zone);
        k.Processes.Exit(0);
        k.Scheduler.AdvanceTo(2 * Latency);
        k.SwapWriteback.EndDue();
        var si = k.SwapDevice!;
        Assert.True(k.Swap.VmSwapFull);
        si.ClusterNext = 1;
        long free = zone.FreePages;
        Assert.Equal(1, k.Swap.GetSwapPage());
        Assert.Equal(free + 1, zone.FreePages);
        Assert.Equal(AnonPages - 1, zone.LruPages(Lru.InactiveAnon));

        // Reclaim frees the rest without a new slot, and nobody's RSS goes below 0.
        ReclaimAll(k, zone);
        Assert.Equal(0, k.Processes.Rss[0]);
        Assert.Equal(1, si.InusePages); // the slot the scan handed out
        Assert.Equal(0, k.SwapWriteback.Pages);
    }
}
