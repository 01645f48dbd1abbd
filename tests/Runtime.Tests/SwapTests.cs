using Policyc.Runtime.Policy;
using Policyc.Runtime.Swap;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

public class SwapTests
{
    static Kernel WithSwapSlots(int slots, bool skipLowestBit)
    {
        var scenario = TestMachine.Tiny(swap: $"{slots * 4}k");
        return TestMachine.Kernel(scenario, b => b.Set(HookId.SwapSkipLowestBit, (PolicyHook<bool>)((in HookContext c) => skipLowestBit)));
    }

    // The scenario's swap is what free and /proc/meminfo call SwapTotal; mkswap's header takes slot 0
    // on top of it, so the top slot number equals the usable count (the report's 497976 kB: 124,494).
    [Fact]
    public void The_swap_size_is_the_usable_swap_and_the_header_page_comes_on_top()
    {
        var si = WithSwapSlots(16, skipLowestBit: true).SwapDevice!;
        Assert.Equal((16, 17, 16), (si.Pages, si.Max, si.HighestBit));
        Assert.Equal(124_494, BuiltinScenarios.Seed.SwapBytes / PolicyTypes.PageSize);
    }

    [Fact]
    public void Slots_are_handed_out_in_order_and_a_full_device_is_not_scanned()
    {
        var k = WithSwapSlots(16, skipLowestBit: true);
        var si = k.SwapDevice!;
        for (int i = 1; i <= si.Pages; i++)
            Assert.Equal(i, k.Swap.GetSwapPage());
        Assert.Equal(0, k.Swap.NrSwapPages);
        Assert.Equal(0, si.HighestBit);
        long walked = k.Swap.EntriesWalked;
        Assert.Equal(0, k.Swap.GetSwapPage());
        Assert.Equal(walked, k.Swap.EntriesWalked);
    }

    [Fact]
    public void Taking_the_slot_at_highest_bit_or_lowest_bit_moves_that_bound_in()
    {
        // scan_swap_map's checks: "if (offset == si->lowest_bit) si->lowest_bit++; if (offset ==
        // si->highest_bit) si->highest_bit--;". The scan starts at cluster_next, here the top slot;
        // the next one wraps to lowest_bit, cluster_next having passed highest_bit.
        var k = WithSwapSlots(16, skipLowestBit: true);
        var si = k.SwapDevice!;
        int top = si.HighestBit;
        si.ClusterNext = top;
        si.ClusterNr = 10;

        Assert.Equal(top, k.Swap.GetSwapPage());
        Assert.Equal((1, top - 1), (si.LowestBit, si.HighestBit));

        Assert.Equal(1, k.Swap.GetSwapPage());
        Assert.Equal((2, top - 1), (si.LowestBit, si.HighestBit));
    }

    /// <summary>Every slot holds a swapped-out page (count 1, not in the swap cache).</summary>
    static void FillSwapped(Kernel k)
    {
        var si = k.SwapDevice!;
        for (int i = 1; i <= si.Pages; i++)
        {
            Assert.Equal(i, k.Swap.GetSwapPage());
            si.SetMap(i, 1);
        }
    }

    /// <summary>
    /// The state of a5998061daab: the only free slot is at lowest_bit, highest_bit is stale above
    /// cluster_next. The forward scan finds nothing; the wrap-around pre-increments past lowest_bit.
    /// </summary>
    static void LastFreeSlotAtLowestBit(Kernel k)
    {
        var si = k.SwapDevice!;
        FillSwapped(k);
        k.Swap.SwapEntryFree(3, cacheReference: false); // the process freed that page
        si.HighestBit = si.Pages - 2;
        si.ClusterNext = 9;
        si.ClusterNr = 100;
        Assert.Equal(3, si.LowestBit);
        Assert.Equal(1, k.Swap.NrSwapPages);
    }

    [Fact]
    public void With_the_313_scan_the_last_free_slot_at_lowest_bit_is_never_found_and_the_whole_map_is_walked()
    {
        var k = WithSwapSlots(64, skipLowestBit: true);
        LastFreeSlotAtLowestBit(k);
        long before = k.Swap.EntriesWalked;
        Assert.Equal(0, k.Swap.GetSwapPage());
        Assert.Equal(0, k.Swap.GetSwapPage());
        Assert.Equal(1, k.Swap.NrSwapPages); // restored after each failure
        long walkedPerCall = (k.Swap.EntriesWalked - before) / 2;
        Assert.True(walkedPerCall >= k.SwapDevice!.HighestBit - 9, $"walked {walkedPerCall}");
    }

    [Fact]
    public void When_the_cluster_search_finds_no_empty_cluster_the_scan_starts_over_at_lowest_bit()
    {
        // 300 free slots (at least SWAPFILE_CLUSTER), one in every five, so no 256 of them in a row.
        var k = WithSwapSlots(2048, skipLowestBit: true);
        var si = k.SwapDevice!;
        FillSwapped(k);
        for (int slot = 100; slot < 1600; slot += 5)
            k.Swap.SwapEntryFree(slot, cacheReference: false);
        Assert.Equal(100, si.LowestBit);
        si.ClusterNext = 1003;
        si.ClusterNr = 0; // this call counts the cluster down and searches from lowest_bit
        // 3.13 leaves offset and scan_base at lowest_bit when the search fails, so the slot there is
        // taken, not the next free one after cluster_next (1005), and nothing is skipped.
        Assert.Equal(100, k.Swap.GetSwapPage());
        Assert.Equal(101, si.ClusterNext);
        Assert.Equal(0, k.Swap.ScanFailures);
    }

    [Fact]
    public void The_run_report_shows_the_stranded_slot_and_the_windows_failed_scans()
    {
        var k = WithSwapSlots(64, skipLowestBit: true);
        LastFreeSlotAtLowestBit(k);
        var from = Reporting.Sampler.Take(k, 0, 0);
        long walked = k.Swap.EntriesWalked;
        Assert.Equal(0, k.Swap.GetSwapPage());
        Assert.Equal(0, k.Swap.GetSwapPage());
        var to = Reporting.Sampler.Take(k, 1, 0);

        var swap = Reporting.ReportBuilder.Window(from, to, []).Swap!;
        Assert.Equal((1L, 1L, 3, 3), (swap.FreeSlots, swap.NrSwapPages, swap.LowestBit, swap.FirstFreeSlot!.Value));
        Assert.Equal((k.SwapDevice!.Pages - 2, 9), (swap.HighestBit, swap.ClusterNext));
        Assert.Equal((2L, 2L, k.Swap.EntriesWalked - walked), (swap.ScanCalls, swap.ScanFailures, swap.EntriesWalked));
    }

    [Fact]
    public void With_the_lowest_bit_fix_the_last_free_slot_is_found()
    {
        var k = WithSwapSlots(64, skipLowestBit: false);
        LastFreeSlotAtLowestBit(k);
        Assert.Equal(3, k.Swap.GetSwapPage());
        Assert.Equal(0, k.Swap.NrSwapPages);
    }

    [Fact]
    public void A_slot_held_only_by_the_swap_cache_is_reclaimed_when_swap_is_over_half_full()
    {
        var k = WithSwapSlots(16, skipLowestBit: true);
        var si = k.SwapDevice!;
        FillSwapped(k);
        int pfn = k.PageAlloc.AllocNoWatermarks(0, Mm.PageState.Anon, 0);
        k.Frames.Flags[pfn] |= Mm.PageFlags.Active;
        k.ZoneOf(pfn).Lrus[(int)Mm.Lru.ActiveAnon].AddHead(k.Frames, pfn);
        // Slot 5's page was swapped back in: the slot is referenced by the page's swap cache only.
        si.SetMap(5, SwapDevice.SwapHasCache);
        k.Swap.AddToSwapCache(pfn, 5);
        Assert.True(si.IsCacheOnly(5));
        k.Swap.SwapEntryFree(7, cacheReference: false); // one free slot, so nr_swap_pages > 0
        si.ClusterNext = 4;
        Assert.Equal(5, k.Swap.GetSwapPage());
        Assert.Equal(Mm.PageFlags.Active, k.Frames.Flags[pfn]); // the page left the swap cache
    }
}
