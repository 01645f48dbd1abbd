using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Tests;

/// <summary>
/// Two counts of 3.13's reclaim behind scenario switches: shrink_page_list's doubled slab pressure
/// for mapped and swap-cache pages, and get_swap_page's second scan of a lone device.
/// </summary>
public class ScanPressureFidelityTests
{
    /// <summary>nr_scanned after one pass over a zone whose inactive file list holds 64 unmapped and 64 mapped (hot) pages.</summary>
    static long NrScanned(bool doubled)
    {
        var k = TestMachine.WithSwitch("double-slab-pressure", doubled);
        var zone = k.Zones[^1];
        for (int i = 0; i < 128; i++)
        {
            int pfn = Buddy.Rmqueue(k.Frames, zone, 0, MigrateType.Movable);
            Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.File, -1);
            if (i % 2 == 0)
                k.Frames.Flags[pfn] = PageFlags.Hot; // an executable's page, mapped by its process
            zone.Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
        }
        var sc = new ScanState();
        sc.Reset(GfpMasks.GFP_KERNEL, 0, 1000, isKswapd: false);
        sc.Priority = 0;
        k.Reclaim.Lru.ShrinkZone(zone, sc, 1 << 20);
        return sc.NrScanned;
    }

    [Fact]
    public void A_mapped_page_counts_twice_towards_the_slab_pressure()
    {
        Assert.Equal(128, NrScanned(doubled: false));
        Assert.Equal(128 + 64, NrScanned(doubled: true));
    }

    [Fact]
    public void With_one_device_a_failing_get_swap_page_scans_the_map_twice()
    {
        foreach (bool twice in new[] { false, true })
        {
            var scenario = TestMachine.Tiny(swap: "256k").WithOverride("swap-scan-twice", twice ? "on" : "off");
            var k = TestMachine.Kernel(scenario, b => b.Set(HookId.SwapSkipLowestBit, (PolicyHook<bool>)((in HookContext c) => true)));
            var si = k.SwapDevice!;
            // Every slot but lowest_bit holds a swapped-out page: the 3.13 wrap-around skips the one free slot
            // (SwapTests has the state at length).
            for (int i = 1; i <= si.Pages; i++)
            {
                Assert.Equal(i, k.Swap.GetSwapPage());
                si.SetMap(i, 1);
            }
            k.Swap.SwapEntryFree(3, cacheReference: false);
            si.HighestBit = si.Pages - 2; // stale above cluster_next, as a5998061daab describes
            si.ClusterNext = 9;
            si.ClusterNr = 100;
            long calls = k.Swap.ScanCalls, walked = k.Swap.EntriesWalked;
            Assert.Equal(0, k.Swap.GetSwapPage());
            Assert.Equal(twice ? 2 : 1, k.Swap.ScanCalls - calls);
            Assert.True(k.Swap.EntriesWalked - walked >= (twice ? 2 : 1) * (si.Pages - 10), $"walked {k.Swap.EntriesWalked - walked}");
        }
    }

    /// <summary>Pages one direct reclaim of the order reclaims from a zone full of clean page cache.</summary>
    static long Reclaimed(bool loop, int order)
    {
        var k = TestMachine.WithSwitch("reclaim-compaction-loop", loop);
        TestMachine.FillWithPageCache(k, zone => zone.HighWmark);
        var zone = k.Zones[^1];
        var sc = new ScanState();
        sc.Reset(GfpMasks.GFP_KERNEL, order, Reclaim.SwapClusterMax, isKswapd: false);
        sc.Priority = 0;
        k.Reclaim.Lru.ShrinkZone(zone, sc, 1 << 20);
        return sc.NrReclaimed;
    }

    [Fact]
    public void For_a_costly_order_shrink_zone_goes_on_until_it_has_reclaimed_twice_the_request()
    {
        Assert.Equal(Reclaim.SwapClusterMax, Reclaimed(loop: false, order: 5));
        Assert.Equal(2L << 5, Reclaimed(loop: true, order: 5));
        // Order 0 is never in reclaim/compaction mode.
        Assert.Equal(Reclaim.SwapClusterMax, Reclaimed(loop: true, order: 0));
    }
}
