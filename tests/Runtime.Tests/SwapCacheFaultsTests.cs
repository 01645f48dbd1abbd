using Policyc.Runtime.Mm;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Swap;
using Policyc.Runtime.Workload;
using static Policyc.Runtime.Tests.SwapWritebackTests;

namespace Policyc.Runtime.Tests;

/// <summary>
/// swap-cache-faults: do_swap_page's lookup_swap_cache. A process touching a page whose pte holds a
/// swap entry finds the page still in the swap cache when readahead brought it in or reclaim is
/// writing it out, and maps it again: no read, no new frame. Its pte's reference to the slot goes,
/// and try_to_free_swap frees the slot while swap is over half full, unless the page is under writeback.
/// </summary>
public class SwapCacheFaultsTests
{
    /// <summary>
    /// A machine whose 63 swap slots (a 64-page device less its header) each hold a swapped-out page
    /// of process 0 that readahead has read back into the swap cache, unmapped, on the inactive anon list.
    /// </summary>
    static Kernel AllReadAhead(string swapCacheFaults, string swap = "252k", int slots = 63)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny(swap: swap).WithOverride("swap-cache-faults", swapCacheFaults));
        var si = k.SwapDevice!;
        var attempt = new AllocAttempt();
        for (int i = 1; i <= slots; i++)
        {
            Assert.Equal(i, k.Swap.GetSwapPage());
            si.SetMap(i, 1);
            si.SlotOwner[i] = 0;
            int pfn = k.PageAlloc.AllocPages(Policy.GfpMasks.GFP_HIGHUSER_MOVABLE, 0, PageState.Anon, 0, ref attempt);
            k.Swap.ReadIntoSwapCache(i, pfn);
            k.Frames.Flags[pfn] = PageFlags.SwapCache | PageFlags.Unmapped;
            k.ZoneOf(pfn).Lrus[(int)Lru.InactiveAnon].AddHead(k.Frames, pfn);
        }
        Invariants.Check(k);
        return k;
    }

    static int Fault(Kernel k)
    {
        var fault = new SwapFault();
        var attempt = new AllocAttempt();
        return k.Processes.SwapInRandomPage(ref fault, ref attempt);
    }

    static long Pages(Kernel k, Lru lru) => k.Zones.Sum(z => z.LruPages(lru));

    [Fact]
    public void Without_the_switch_a_swap_in_never_picks_a_page_still_in_the_swap_cache()
    {
        var k = AllReadAhead("off");
        Assert.Equal(0, Fault(k));
        Assert.Equal(0, k.Swap.SwapCacheHits);
        Assert.Equal(63, k.SwapDevice!.InusePages);
    }

    [Fact]
    public void A_fault_maps_a_read_ahead_page_again_without_a_read_or_a_frame_and_frees_its_slot_while_swap_is_full()
    {
        var k = AllReadAhead("on");
        long free = k.FreePages, reads = k.Counters.VmEvents[(int)VmEvent.PswpIn];
        Assert.True(k.Swap.VmSwapFull);
        Assert.Equal(1, Fault(k));

        var si = k.SwapDevice!;
        Assert.Equal(1, k.Swap.SwapCacheHits);
        Assert.Equal(free, k.FreePages);
        Assert.Equal(reads, k.Counters.VmEvents[(int)VmEvent.PswpIn]);
        // try_to_free_swap: the slot is free, and the page is an anon page of the process's, in use.
        int freed = Enumerable.Range(1, si.Pages).Single(s => si.Map[s] == 0);
        Assert.Equal(-1, si.CachePage[freed]);
        Assert.Equal(62, si.SwapCachePages);
        Assert.Equal((62L, 1L), (Pages(k, Lru.InactiveAnon), Pages(k, Lru.ActiveAnon)));
        int page = k.Zones.Select(z => z.Lrus[(int)Lru.ActiveAnon].Head).Single(h => h >= 0);
        Assert.Equal(PageFlags.Active, k.Frames.Flags[page]);
        Assert.Equal(1, k.Processes.Rss[0]);
        Invariants.Check(k);
    }

    [Fact]
    public void While_swap_is_less_than_half_full_the_mapped_page_keeps_its_slot_through_the_swap_cache()
    {
        // 255 slots, 63 in use: vm_swap_full is false, so try_to_free_swap is not called.
        var k = AllReadAhead("on", swap: "1020k");
        Assert.False(k.Swap.VmSwapFull);
        Assert.Equal(1, Fault(k));
        var si = k.SwapDevice!;
        int slot = Enumerable.Range(1, 63).Single(s => si.Map[s] == SwapDevice.SwapHasCache);
        Assert.Equal(1, si.CacheOnlySlots);
        Assert.Equal(PageFlags.Active | PageFlags.SwapCache, k.Frames.Flags[si.CachePage[slot]]);
        Assert.Equal(63, si.InusePages);
        Invariants.Check(k);
    }

    [Fact]
    public void A_fault_on_a_page_under_writeback_maps_it_where_it_is_and_leaves_its_slot_to_the_write()
    {
        // 64 pages under writeback in 127 slots: swap is over half full.
        var (k, zone, _) = InactiveAnonZone("10ms", swap: "508k", swapCacheFaults: "on");
        PriorityZeroPass(k, zone);
        Assert.Equal(64, k.SwapWriteback.Pages);
        Assert.Equal(0, k.Processes.Rss[0]);
        Assert.True(k.Swap.VmSwapFull);

        Assert.Equal(1, Fault(k));
        var si = k.SwapDevice!;
        // The pte's reference goes; the swap cache keeps the slot, since try_to_free_swap leaves a
        // page under writeback alone. The page stays on the inactive list, mapped, under writeback.
        int slot = Enumerable.Range(1, 64).Single(s => si.Map[s] == SwapDevice.SwapHasCache);
        int pfn = si.CachePage[slot];
        Assert.Equal(PageFlags.SwapCache | PageFlags.Writeback, k.Frames.Flags[pfn]);
        Assert.Equal(64, zone.LruPages(Lru.InactiveAnon));
        Assert.Equal(1, k.Processes.Rss[0]);
        Invariants.Check(k);

        // Once the write ends, reclaim unmaps it again: its pte takes back the slot the swap cache
        // held, with no scan for a new one, and the page is freed.
        k.Scheduler.AdvanceTo(2 * Latency);
        long walked = k.Swap.EntriesWalked;
        ReclaimAll(k, zone);
        Assert.Equal(walked, k.Swap.EntriesWalked);
        Assert.Equal(1, si.Map[slot]);
        Assert.Equal(64, si.InusePages);
        Assert.Equal(0, k.Processes.Rss[0]);
        Invariants.Check(k);
    }

    [Fact]
    public void An_exit_unmaps_a_page_a_fault_took_back_under_writeback_and_reclaim_frees_it_with_its_slot()
    {
        var (k, zone, _) = InactiveAnonZone("10ms", swap: "508k", swapCacheFaults: "on");
        PriorityZeroPass(k, zone);
        Assert.Equal(1, Fault(k));
        k.Processes.Exit(0);
        Invariants.Check(k);

        k.Scheduler.AdvanceTo(2 * Latency);
        ReclaimAll(k, zone);
        Assert.Equal(0, k.SwapDevice!.InusePages);
        Assert.Equal(0, k.Processes.Rss[0]);
        Assert.Equal(64, zone.FreePages);
        Invariants.Check(k);
    }

    [Fact]
    public void A_run_with_readahead_writes_in_flight_and_swap_cache_faults_keeps_its_invariants_and_repeats_itself()
    {
        var scenario = BuiltinScenarios.Small.WithOverride("page-cluster", "3").WithOverride("swap-in-rate", "200")
            .WithOverride("swap-write-latency", "10ms").WithOverride("swap-cache-faults", "on").WithOverride("duration", "60s");
        var report = TestMachine.RunTwiceAlike(scenario);
        Assert.Equal(320_000, report.Progress.FilesCreated);
        Assert.True(report.End.Swap!.SwapCacheHits > 0, "no swap-in found its page in the swap cache");
    }
}
