using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Vmscan;
using Policyc.Runtime.Workload;
using static Policyc.Runtime.Tests.SwapWritebackTests;

namespace Policyc.Runtime.Tests;

/// <summary>
/// swapin-inactive: 3.13's read_swap_cache_async adds the page a swap fault reads with
/// lru_cache_add_anon, to the inactive anon list, and the fault leaves its pte young. Reclaim's next
/// look at the page finds the reference and activates it (PAGEREF_ACTIVATE), giving up its swap slot
/// while swap is over half full.
/// </summary>
public class SwapinInactiveTests
{
    /// <summary>A machine whose first <paramref name="used"/> swap slots hold swapped-out pages of process 0.</summary>
    static Kernel SwappedOut(string swapinInactive, string swap, int used, string swapCacheFaults = "off")
    {
        var k = TestMachine.Kernel(TestMachine.Tiny(swap: swap).WithOverride("page-cluster", "0")
            .WithOverride("swapin-inactive", swapinInactive).WithOverride("swap-cache-faults", swapCacheFaults));
        var si = k.SwapDevice!;
        for (int i = 1; i <= used; i++)
        {
            Assert.Equal(i, k.Swap.GetSwapPage());
            si.SetMap(i, 1);
            si.SlotOwner[i] = 0;
        }
        return k;
    }

    static int Fault(Kernel k)
    {
        var fault = new SwapFault();
        var attempt = new AllocAttempt();
        Assert.Equal(1, k.Processes.SwapInRandomPage(ref fault, ref attempt));
        return k.Zones.SelectMany(z => new[] { z.Lrus[(int)Lru.InactiveAnon].Head, z.Lrus[(int)Lru.ActiveAnon].Head }).Single(pfn => pfn >= 0);
    }

    static ScanState ReclaimEveryZone(Kernel k)
    {
        var sc = new ScanState();
        sc.Reset(GfpMasks.GFP_KERNEL, 0, 1000, isKswapd: false);
        sc.Priority = 0;
        foreach (var zone in k.Zones)
            k.Reclaim.Lru.ShrinkZone(zone, sc, 1 << 20);
        return sc;
    }

    [Theory]
    [InlineData("off", Lru.ActiveAnon, PageFlags.Active)]
    [InlineData("on", Lru.InactiveAnon, PageFlags.Referenced)]
    public void The_page_a_fault_reads_goes_to_the_inactive_list_with_its_pte_young(string swapinInactive, Lru lru, PageFlags flags)
    {
        var k = SwappedOut(swapinInactive, swap: "252k", used: 63);
        int pfn = Fault(k);
        Assert.Equal(flags, k.Frames.Flags[pfn]);
        Assert.Equal(1, k.Zones.Sum(z => z.LruPages(lru)));
        Invariants.Check(k);
    }

    [Fact]
    public void Reclaim_activates_the_referenced_page_instead_of_swapping_it_and_counts_it_rotated()
    {
        var k = SwappedOut("on", swap: "252k", used: 63);
        int pfn = Fault(k);
        var zone = k.ZoneOf(pfn);
        long rotated = zone.RecentRotated[0], walked = k.Swap.EntriesWalked;
        ReclaimEveryZone(k);
        // Activated, and deactivated again by the pass's closing look at the too-small inactive
        // list: resident, its reference used up, and no slot looked for.
        Assert.Equal(PageFlags.None, k.Frames.Flags[pfn]);
        Assert.Equal(PageState.Anon, k.Frames.State[pfn]);
        Assert.Equal(rotated + 1, zone.RecentRotated[0]);
        Assert.Equal(walked, k.Swap.EntriesWalked);
        Assert.Equal(1, k.Processes.Rss[0]);
        Invariants.Check(k);
    }

    [Fact]
    public void Activation_gives_up_the_swap_slot_of_a_page_still_in_the_swap_cache_once_swap_is_over_half_full()
    {
        // 255 slots, 63 in use: the fault keeps the page's slot through the swap cache.
        var k = SwappedOut("on", swap: "1020k", used: 63);
        Assert.False(k.Swap.VmSwapFull);
        int pfn = Fault(k);
        var si = k.SwapDevice!;
        int slot = k.Frames.SwapSlot[pfn];
        Assert.Equal(Swap.SwapDevice.SwapHasCache, si.Map[slot]);

        // Other pages fill the swap past half; reclaim then meets the page's young pte.
        for (int i = 64; i <= 200; i++)
        {
            int taken = k.Swap.GetSwapPage();
            si.SetMap(taken, 1);
            si.SlotOwner[taken] = 1;
        }
        Assert.True(k.Swap.VmSwapFull);
        ReclaimEveryZone(k);
        Assert.Equal(PageFlags.None, k.Frames.Flags[pfn] & (PageFlags.Referenced | PageFlags.SwapCache));
        Assert.Equal(PageState.Anon, k.Frames.State[pfn]);
        Assert.Equal(0, si.Map[slot]);
        Invariants.Check(k);
    }

    /// <summary>64 pages of process 0 under writeback in 127 slots, and a swap-in that found one of them in the swap cache.</summary>
    static (Kernel K, Zone Zone) HitUnderWriteback()
    {
        var (k, zone, _) = InactiveAnonZone("10ms", swap: "508k", swapCacheFaults: "on", swapinInactive: "on");
        SwapWritebackTests.PriorityZeroPass(k, zone);
        var fault = new SwapFault();
        var attempt = new AllocAttempt();
        Assert.Equal(1, k.Processes.SwapInRandomPage(ref fault, ref attempt));
        Assert.Equal(1, k.Swap.SwapCacheHits);
        return (k, zone);
    }

    [Fact]
    public void A_swap_cache_hit_leaves_the_page_where_it_is_with_its_pte_young()
    {
        var (k, zone) = HitUnderWriteback();
        var si = k.SwapDevice!;
        int slot = Enumerable.Range(1, 64).Single(s => si.Map[s] == Swap.SwapDevice.SwapHasCache);
        int pfn = si.CachePage[slot];
        Assert.Equal(PageFlags.SwapCache | PageFlags.Writeback | PageFlags.Referenced, k.Frames.Flags[pfn]);
        Invariants.Check(k);

        // Once written, reclaim meets its young pte: the page is activated, not reclaimed, and
        // gives up its slot, swap being over half full.
        k.Scheduler.AdvanceTo(2 * Latency);
        for (int pass = 0; pass < 10 && (k.Frames.Flags[pfn] & PageFlags.Referenced) != 0; pass++)
            SwapWritebackTests.PriorityZeroPass(k, zone);
        Assert.Equal(PageFlags.None, k.Frames.Flags[pfn] & (PageFlags.Referenced | PageFlags.SwapCache | PageFlags.Unmapped | PageFlags.Writeback));
        Assert.Equal(PageState.Anon, k.Frames.State[pfn]);
        Assert.Equal(0, si.Map[slot]);
        Assert.Equal(1, k.Processes.Rss[0]);
        Invariants.Check(k);
    }

    [Fact]
    public void An_exit_takes_the_young_pte_with_it_and_reclaim_frees_the_page_and_its_slot()
    {
        var (k, zone) = HitUnderWriteback();
        k.Processes.Exit(0);
        k.Scheduler.AdvanceTo(2 * Latency);
        long rotated = zone.RecentRotated[0];
        ReclaimAll(k, zone);
        // No pte is left to be young: reclaim activates nothing.
        Assert.Equal(rotated, zone.RecentRotated[0]);
        Assert.Equal(0, k.SwapDevice!.InusePages);
        Assert.Equal(64, zone.FreePages);
        Invariants.Check(k);
    }

    [Fact]
    public void A_run_with_readahead_swap_ins_and_writes_in_flight_keeps_its_invariants_and_repeats_itself()
    {
        var scenario = BuiltinScenarios.Small.WithOverride("page-cluster", "3").WithOverride("swap-in-rate", "200")
            .WithOverride("swap-write-latency", "10ms").WithOverride("swap-cache-faults", "on")
            .WithOverride("swapin-inactive", "on").WithOverride("duration", "60s");
        var report = TestMachine.RunTwiceAlike(scenario);
        Assert.Equal(320_000, report.Progress.FilesCreated);
    }
}
