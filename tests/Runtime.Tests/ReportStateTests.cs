using Policyc.Runtime.Mm;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Tests;

/// <summary>
/// The zone states the report's two unreached figures point at, built by hand, and what the 3.13
/// rules do in them. They pin down which state burns the CPU in scan_swap_map under GFP_NOFS and
/// what kswapd does in it; docs/reproducing-the-seed.md draws its conclusions from them.
/// </summary>
public class ReportStateTests
{
    const int AnonPages = 32768;       // 128 MiB: eight pages a pass at priority 12
    const int ActiveFilePages = 64;    // executables' page cache, all of it on the active list
    const long LogVectorBytes = 65 * 1024; // a fully dirty 64 KiB directory block: an order-5 kmalloc
    static readonly Gfp KmemAllocNofs = GfpMasks.GFP_NOFS | Gfp.NOWARN | Gfp.ZERO; // mode 0x8250

    /// <summary>How ZONE_NORMAL holds its free memory, besides its anon pages.</summary>
    public enum NormalState
    {
        /// <summary>Its LOW watermark, in single pages, and no page cache: where allocations leave it before falling back to DMA32.</summary>
        AtLow,
        /// <summary>Half of it free in order-4 blocks whose buddies are in use (no order-5 block), and no page cache.</summary>
        HalfFreeInOrder4Blocks,
        /// <summary>As <see cref="HalfFreeInOrder4Blocks"/>, plus a little page cache, all of it active.</summary>
        HalfFreeInOrder4BlocksWithActivePageCache,
        /// <summary>Half of it free in order-2 blocks whose buddies are in use, and ZONE_DMA32's likewise: no free block of order 3 or more.</summary>
        HalfFreeInOrder2Blocks,
    }

    static Kernel ReportState(NormalState state, int swappiness = 60, int anonPages = AnonPages)
    {
        // Big enough that ZONE_DMA's lowmem reserve for the higher zones exceeds its size, as on the
        // 16 GiB machine; ZONE_DMA32 below 1 GiB, the rest ZONE_NORMAL.
        var scenario = TestMachine.Tiny(mem: "4608M", swap: "256k").WithOverride("dma32", "1G")
            .WithOverride("swappiness", swappiness.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var k = TestMachine.Kernel(scenario);
        Assert.Equal(["DMA", "DMA32", "Normal"], k.Zones.Select(z => z.Name));
        var dma32 = k.Zones[1];
        var normal = k.Zones[2];

        // The other processes' anon, on ZONE_NORMAL's inactive list.
        for (int i = 0; i < anonPages; i++)
        {
            int pfn = Buddy.Rmqueue(k.Frames, normal, 0, MigrateType.Movable);
            Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.Anon, -1);
            normal.Lrus[(int)Lru.InactiveAnon].AddHead(k.Frames, pfn);
        }
        if (state == NormalState.HalfFreeInOrder4BlocksWithActivePageCache)
            for (int i = 0; i < ActiveFilePages; i++)
            {
                int pfn = Buddy.Rmqueue(k.Frames, normal, 0, MigrateType.Movable);
                Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.File, -1);
                k.Frames.Flags[pfn] |= PageFlags.Active;
                normal.Lrus[(int)Lru.ActiveFile].AddHead(k.Frames, pfn);
            }
        if (state == NormalState.AtLow)
        {
            foreach (var pfn in TestMachine.TakeAll(k, normal, 0).Where(p => p % 2 == 0))
            {
                if (normal.FreePages >= normal.LowWmark)
                    break;
                Buddy.FreeOnePage(k.Frames, normal, pfn, 0);
            }
        }
        else if (state == NormalState.HalfFreeInOrder2Blocks)
            FreeEveryOtherBlock(k, normal, TestMachine.TakeAll(k, normal, 2), 2);
        else
            FreeEveryOtherBlock(k, normal, TestMachine.TakeAll(k, normal, 4), 4);

        // ZONE_DMA32 holds free memory as freed xfs_inode slabs (order 3) whose buddies are in use,
        // or, with free memory below order 3 everywhere, as order-2 blocks; ZONE_DMA stays as boot
        // left it.
        int dma32Order = state == NormalState.HalfFreeInOrder2Blocks ? 2 : 3;
        FreeEveryOtherBlock(k, dma32, TestMachine.TakeAll(k, dma32, dma32Order), dma32Order);

        LastSwapSlotAtLowestBit(k);
        // The looping request fails in every zone: no order-5 block in ZONE_NORMAL or ZONE_DMA32,
        // and ZONE_DMA is kept from it by its lowmem reserve.
        Assert.All(k.Zones, z => Assert.False(z.WatermarkOk(5, z.MinWmark, normal.Index), z.Name));
        return k;
    }

    static void FreeEveryOtherBlock(Kernel k, Zone zone, List<int> blocks, int order)
    {
        foreach (var pfn in blocks.Where(p => (p >> order) % 2 == 0))
            Buddy.FreeOnePage(k.Frames, zone, pfn, order);
    }

    /// <summary>Swap full but for one slot at lowest_bit, which 3.13's wrap-around scan never reaches (a5998061daab).</summary>
    static void LastSwapSlotAtLowestBit(Kernel k)
    {
        var si = k.SwapDevice!;
        for (int i = 1; i <= si.Pages; i++)
        {
            Assert.Equal(i, k.Swap.GetSwapPage());
            si.SetMap(i, 1);
        }
        k.Swap.SwapEntryFree(3, cacheReference: false);
        si.HighestBit = si.Pages - 2;
        si.ClusterNext = 9;
        si.ClusterNr = 100;
        Assert.Equal(1, k.Swap.NrSwapPages);
    }

    static long ScanSwapMapNs(Kernel k) => k.Cpu.Copy()[(int)Symbol.ScanSwapMap];

    /// <summary>The looping kmem_alloc's reclaim: GFP_NOFS, order 5.</summary>
    static (long Progress, long Walked) NofsReclaim(Kernel k)
    {
        long walked = k.Swap.EntriesWalked;
        long progress = k.Reclaim.TryToFreePages(KmemAllocNofs, 5, LogVectorBytes);
        return (progress, k.Swap.EntriesWalked - walked);
    }

    [Fact]
    public void Zone_dma_is_always_ready_for_compaction_so_nofs_reclaim_of_the_order_5_request_stops_after_priority_12()
    {
        var k = ReportState(NormalState.AtLow);
        var sb = new CountingShrinker(1_000_000);
        k.Shrinkers.Register(sb);
        Assert.True(k.Reclaim.CompactionReady(k.Zones[0], 5));

        var (progress, _) = NofsReclaim(k);

        Assert.Equal(1, progress); // aborted for compaction: "don't OOM", try again
        Assert.Equal(1_000_000, sb.Objects); // the superblock shrinker deferred under GFP_NOFS
        Assert.True(k.Shrinkers.TotalDeferred > 0);
    }

    [Fact]
    public void With_normal_at_its_low_watermark_nofs_reclaim_burns_in_scan_swap_map()
    {
        var k = ReportState(NormalState.AtLow);
        var normal = k.Zones[2];
        Assert.False(k.Reclaim.CompactionReady(normal, 5)); // below HIGH + gap
        Assert.True(k.Reclaim.CompactionReady(k.Zones[1], 5)); // DMA32's free memory is skipped

        var (_, walked) = NofsReclaim(k);

        // get_scan_count: free + file <= HIGH, so SCAN_ANON even at priority 12. Every anon page
        // asks get_swap_page, which walks the map from cluster_next round to lowest_bit and fails.
        Assert.True(walked >= k.SwapDevice!.HighestBit - 9, $"walked {walked}");
        Assert.True(ScanSwapMapNs(k) > 0);
        Assert.Equal(AnonPages, normal.AnonPages); // nothing could be swapped out

        // The run report's per-zone table counts the same pass: the two lower zones skipped,
        // ZONE_NORMAL shrunk with SCAN_ANON, its anon pages isolated.
        Assert.Equal(1, k.Zones[0].DirectReclaim.SkippedForCompaction);
        Assert.Equal(1, k.Zones[1].DirectReclaim.SkippedForCompaction);
        Assert.Equal(0, normal.DirectReclaim.SkippedForCompaction);
        Assert.Equal(1, normal.DirectReclaim.Shrunk);
        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.Anon]);
        Assert.Equal(AnonPages >> Vmscan.Reclaim.DefPriority, normal.DirectReclaim.AnonScanned);
        Assert.Equal(0, normal.DirectReclaim.FileScanned);
    }

    [Theory]
    [InlineData(4095, 0)]
    [InlineData(4096, 1)]
    public void At_priority_12_nofs_reclaim_scans_no_anon_list_under_4096_pages(int anonPages, int scanned)
    {
        // ZONE_NORMAL at LOW with no page cache: SCAN_ANON, and a free slot for get_swap_page. But the
        // order-5 request's reclaim stops after priority 12 (ZONE_DMA is ready for compaction), where
        // get_scan_count takes size >> 12 pages of each list, and direct reclaim has no force_scan.
        var k = ReportState(NormalState.AtLow, anonPages: anonPages);
        var normal = k.Zones[2];

        var (_, walked) = NofsReclaim(k);

        Assert.Equal(1, normal.DirectReclaim.Shrunk);
        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.Anon]);
        Assert.Equal(scanned, normal.DirectReclaim.AnonScanned);
        Assert.Equal(scanned > 0, walked > 0);
        Assert.Equal(scanned > 0, ScanSwapMapNs(k) > 0);
    }

    [Theory]
    [InlineData(0, ScanBalanceKind.Anon)]
    [InlineData(1, ScanBalanceKind.File)]
    public void Get_scan_count_scans_only_anon_while_free_and_file_pages_are_at_most_high(int aboveHigh, ScanBalanceKind balance)
    {
        // "If it's foreseeable that reclaiming the file cache won't be enough to get the zone back
        // into a desirable shape, we have to swap": file + free <= HIGH. One page above it, with no
        // page cache (an inactive file list no shorter than the active one), SCAN_FILE.
        var k = ReportState(NormalState.AtLow);
        var normal = k.Zones[2];
        for (int pfn = normal.StartPfn; pfn < normal.EndPfn && normal.FreePages < normal.HighWmark + aboveHigh; pfn++)
            if (k.Frames.State[pfn] == PageState.Kernel)
                Buddy.FreeOnePage(k.Frames, normal, pfn, 0);
        Assert.Equal(normal.HighWmark + aboveHigh, normal.FreePages + normal.FilePages);
        Assert.False(k.Reclaim.CompactionReady(normal, 5));

        NofsReclaim(k);

        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)balance]);
        Assert.Equal(balance == ScanBalanceKind.Anon ? AnonPages >> Vmscan.Reclaim.DefPriority : 0, normal.DirectReclaim.AnonScanned);
    }

    [Theory]
    // 12,768 inactive x 5 >= 20,000 active: not low. Nothing is deactivated; the 12,768 >> 12 = 3
    // inactive pages scanned fail add_to_swap and are activated.
    [InlineData(20_000, 20_003)]
    // 3,000 x 5 < 29,768: low. No inactive page is scanned (3,000 >> 12 = 0), so the scan loop does
    // not run (the active anon list alone does not drive it), and only the SWAP_CLUSTER_MAX pages
    // after it are deactivated.
    [InlineData(29_768, 29_768 - 32)]
    public void Active_anon_is_aged_only_while_inactive_times_the_zones_ratio_is_below_it(int active, int activeAfter)
    {
        // inactive_anon_is_low: inactive * inactive_ratio < active, the ratio int_sqrt(10 * GiB) of
        // the zone: 5 for ZONE_NORMAL's 3.5 GiB here.
        var k = ReportState(NormalState.AtLow);
        var normal = k.Zones[2];
        Assert.Equal(3, normal.ManagedPages >> 18);
        ref var inactiveList = ref normal.Lrus[(int)Lru.InactiveAnon];
        ref var activeList = ref normal.Lrus[(int)Lru.ActiveAnon];
        for (int i = 0; i < active; i++)
        {
            int pfn = inactiveList.Tail;
            inactiveList.Remove(k.Frames, pfn);
            k.Frames.Flags[pfn] |= PageFlags.Active;
            activeList.AddHead(k.Frames, pfn);
        }

        NofsReclaim(k);

        Assert.Equal(activeAfter, normal.LruPages(Lru.ActiveAnon));
    }

    [Fact]
    public void With_normal_half_free_in_order_4_blocks_and_no_page_cache_nofs_reclaim_scans_only_file()
    {
        var k = ReportState(NormalState.HalfFreeInOrder4Blocks);
        var normal = k.Zones[2];
        // Free memory in blocks of half the request: the fragmentation index says lack of memory
        // (at most 500), so compaction is not suitable and the zone is not ready for it. The zone has
        // never compacted, so compaction is not deferred either.
        Assert.InRange(Watermarks.FragmentationIndex(normal.NrFree, 5), 0, 500);
        Assert.False(normal.CompactionWouldBeDeferred(5));
        Assert.False(k.Reclaim.CompactionReady(normal, 5));

        var (_, walked) = NofsReclaim(k);

        // shrink_zone runs, but with free memory far above HIGH and an inactive file list no
        // smaller than the active one (both empty), get_scan_count picks SCAN_FILE. Priority 0,
        // where anon is scanned regardless, is never reached.
        Assert.Equal(0, walked);
        Assert.Equal(0, ScanSwapMapNs(k));
        Assert.Equal(1, normal.DirectReclaim.Shrunk);
        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.File]);
        Assert.Equal(0, normal.DirectReclaim.AnonScanned);
    }

    [Fact]
    public void With_normal_half_free_in_order_4_blocks_and_active_page_cache_nofs_reclaim_burns_in_scan_swap_map()
    {
        var k = ReportState(NormalState.HalfFreeInOrder4BlocksWithActivePageCache);
        Assert.False(k.Reclaim.CompactionReady(k.Zones[2], 5));

        var (_, walked) = NofsReclaim(k);

        // More active than inactive page cache: SCAN_FRACT, so anon gets its swappiness share.
        Assert.True(walked >= k.SwapDevice!.HighestBit - 9, $"walked {walked}");
        Assert.True(ScanSwapMapNs(k) > 0);
        // Nothing scanned or rotated yet, so anon's fraction is swappiness 60 against file's 140:
        // priority 12 scans 32768 >> 12 = 8 inactive anon pages, times 60 / (60 + 140 + 1), so 2.
        var normal = k.Zones[2];
        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.Fract]);
        Assert.Equal(8 * 60 / 201, normal.DirectReclaim.AnonScanned);
    }

    [Theory]
    [InlineData(AnonPages / 4 + 1, AnonPages / 8)] // past a quarter of the anon pages: halved first
    [InlineData(AnonPages / 4, AnonPages / 4)]     // at a quarter: kept
    public void Get_scan_count_halves_the_recent_anon_counts_once_they_pass_a_quarter_of_the_anon_pages(long recentScanned, long kept)
    {
        // "we keep these statistics as a floating average": reclaim_stat->recent_scanned[0] > anon / 4
        // halves recent_scanned and recent_rotated before SCAN_FRACT's shares are computed.
        var k = ReportState(NormalState.HalfFreeInOrder4BlocksWithActivePageCache);
        var normal = k.Zones[2];
        Assert.Equal(AnonPages, normal.AnonPages);
        normal.RecentScanned[0] = recentScanned;
        normal.RecentRotated[0] = 100;

        NofsReclaim(k);

        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.Fract]);
        long scanned = normal.DirectReclaim.AnonScanned;
        Assert.True(scanned > 0);
        Assert.Equal(kept + scanned, normal.RecentScanned[0]);
    }

    [Fact]
    public void One_single_page_taken_from_the_order_4_blocks_makes_normal_ready_for_compaction_and_ends_the_scan_swap_map_burn()
    {
        // The fragmentation index is 1000 - (1000 + 1000 * free / 2^order) / blocks. It stays at 500 or
        // below only while sum(1 - size / half the request) over the free blocks is at most about 2:
        // a block of half the request adds nothing, any smaller block adds up to one. So the state
        // above needs every free page of the zone in order-4 blocks but for two or three.
        var k = ReportState(NormalState.HalfFreeInOrder4BlocksWithActivePageCache);
        var normal = k.Zones[2];
        Assert.InRange(Watermarks.FragmentationIndex(normal.NrFree, 5), 0, 500);

        // One order-0 allocation (a kmalloc-64 slab page, say) splits one order-4 block: the 15 pages
        // left of it sit in four blocks of orders 0 to 3, which together add about 3.
        int pfn = Buddy.Rmqueue(k.Frames, normal, 0, MigrateType.Unmovable);
        Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.Kernel, -1);
        Assert.Equal([1, 1, 1, 1], normal.NrFree[..4]);

        Assert.True(Watermarks.FragmentationIndex(normal.NrFree, 5) > 500);
        Assert.True(k.Reclaim.CompactionReady(normal, 5));
        var (_, walked) = NofsReclaim(k);
        Assert.Equal(0, walked);
        Assert.Equal(0, ScanSwapMapNs(k));
        Assert.All(k.Zones, z => Assert.Equal((1L, 0L), (z.DirectReclaim.SkippedForCompaction, z.DirectReclaim.Shrunk)));
    }

    [Fact]
    public void With_no_free_block_of_order_3_an_order_3_log_vector_reclaims_down_to_priority_0_and_burns_in_scan_swap_map()
    {
        // A log vector of 8 to 32 KiB is an order-2 or order-3 kmalloc: the page allocator retries it
        // itself, and compaction_ready does not apply at or below PAGE_ALLOC_COSTLY_ORDER. With free
        // memory only in blocks below order 3, every zone fails the order-3 request at MIN.
        var k = ReportState(NormalState.HalfFreeInOrder2Blocks);
        var normal = k.Zones[2];
        Assert.All(k.Zones, z => Assert.False(z.WatermarkOk(3, z.MinWmark, normal.Index), z.Name));
        Assert.All(k.Zones, z => Assert.False(k.Reclaim.CompactionReady(z, 3), z.Name));
        Assert.True(normal.FreePages > normal.HighWmark * 100);

        long walkedBefore = k.Swap.EntriesWalked;
        k.Reclaim.TryToFreePages(KmemAllocNofs, 3, 24 * 1024);
        long walked = k.Swap.EntriesWalked - walkedBefore;

        // No zone is skipped, so the pass goes on down the priorities. Down to priority 1
        // get_scan_count picks SCAN_FILE (free memory far above HIGH, no page cache); at priority 0
        // it scans both kinds equally, and every inactive anon page walks the swap map and fails.
        Assert.All(k.Zones, z => Assert.Equal(0, z.DirectReclaim.SkippedForCompaction));
        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.Equal]);
        Assert.Equal(AnonPages, normal.DirectReclaim.AnonScanned);
        Assert.True(walked >= AnonPages * (long)(k.SwapDevice!.HighestBit - 9), $"walked {walked}");
        Assert.True(ScanSwapMapNs(k) > 0);
        Assert.Equal(AnonPages, normal.AnonPages); // nothing could be swapped out
    }

    [Fact]
    public void With_swappiness_0_priority_0_does_not_scan_anon_equally_and_the_order_3_reclaim_never_walks_the_swap_map()
    {
        // get_scan_count's SCAN_EQUAL at priority 0 holds only "unless the swappiness setting
        // disagrees with swapping": with vm.swappiness = 0 the pass falls through to SCAN_FILE
        // (free memory far above HIGH, no page cache), as at every other priority.
        var k = ReportState(NormalState.HalfFreeInOrder2Blocks, swappiness: 0);
        var normal = k.Zones[2];

        long walkedBefore = k.Swap.EntriesWalked;
        k.Reclaim.TryToFreePages(KmemAllocNofs, 3, 24 * 1024);

        Assert.Equal(0, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.Equal]);
        Assert.Equal(13, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.File]); // priorities 12 to 0
        Assert.Equal(0, normal.DirectReclaim.AnonScanned);
        Assert.Equal(walkedBefore, k.Swap.EntriesWalked);
    }

    [Fact]
    public void With_freed_inode_slabs_free_an_order_3_log_vector_is_served_and_never_reclaims()
    {
        // The seed's livelock: free memory in order-3 blocks and their order-4 merges. The order-3
        // request passes the MIN test in ZONE_NORMAL, so it never gets to reclaim.
        var k = ReportState(NormalState.HalfFreeInOrder4Blocks);
        var normal = k.Zones[2];
        Assert.True(normal.WatermarkOk(3, normal.MinWmark, normal.Index));
        Assert.False(normal.WatermarkOk(5, normal.MinWmark, normal.Index));
    }

    [Fact]
    public void On_one_node_the_report_state_is_normal_at_its_low_watermark_and_dma32_nearly_free_without_an_order_5_block()
    {
        // The report's 16 GiB machine, with ZONE_DMA32 below 3 GiB. Which state of its zones gives
        // both the 17% free and the CPU in scan_swap_map: ZONE_NORMAL at LOW, where reclaim scans
        // it, and the free memory in ZONE_DMA32, in blocks too small for the request (one page in use
        // in every 128 KiB), where reclaim leaves it to compaction.
        var scenario = TestMachine.Tiny(mem: "16G", swap: "256k").WithOverride("dma32", "3G");
        var k = TestMachine.Kernel(scenario);
        var (dma32, normal) = (k.Zones[1], k.Zones[2]);
        for (int i = 0; i < AnonPages; i++)
        {
            int pfn = Buddy.Rmqueue(k.Frames, normal, 0, MigrateType.Movable);
            Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.Anon, -1);
            normal.Lrus[(int)Lru.InactiveAnon].AddHead(k.Frames, pfn);
        }
        foreach (var pfn in TestMachine.TakeAll(k, normal, 0).Where(p => p % 2 == 0))
        {
            if (normal.FreePages >= normal.LowWmark)
                break;
            Buddy.FreeOnePage(k.Frames, normal, pfn, 0);
        }
        foreach (var pfn in TestMachine.TakeAll(k, dma32, 0).Where(p => p % 32 != 0))
            Buddy.FreeOnePage(k.Frames, dma32, pfn, 0);
        LastSwapSlotAtLowestBit(k);

        Assert.Equal(0, Watermarks.FreePagesAtOrAbove(dma32.NrFree, 5));
        Assert.InRange(100.0 * k.FreePages / k.ManagedPages, 12, 25); // the report: 17.2%
        Assert.All(k.Zones, z => Assert.False(z.WatermarkOk(5, z.MinWmark, normal.Index), z.Name));

        var (_, walked) = NofsReclaim(k);

        Assert.Equal(1, dma32.DirectReclaim.SkippedForCompaction);
        Assert.Equal(1, normal.DirectReclaim.ScanBalance[(int)ScanBalanceKind.Anon]);
        Assert.True(walked >= k.SwapDevice!.HighestBit - 9, $"walked {walked}");
        Assert.True(ScanSwapMapNs(k) > 0);
    }

    [Theory]
    [InlineData(NormalState.AtLow)]
    [InlineData(NormalState.HalfFreeInOrder4BlocksWithActivePageCache)]
    public void Where_nofs_reclaim_reaches_scan_swap_map_a_woken_kswapd_takes_the_deferred_slab_work(NormalState state)
    {
        var k = ReportState(state);
        var normal = k.Zones[2];
        var sb = new CountingShrinker(1_000_000);
        k.Shrinkers.Register(sb);
        NofsReclaim(k);
        Assert.Equal(1_000_000, sb.Objects);

        // The failed request wakes kswapd for order 5. In either state compaction_suitable says
        // COMPACT_SKIPPED for ZONE_NORMAL (too little above LOW, or a fragmentation index of 500 or
        // less), so kswapd_shrink_zone keeps order 5, finds the zone unbalanced and calls
        // shrink_slab with GFP_KERNEL: the superblock shrinker takes the deferred work.
        Assert.False(Mm.Compaction.Suitable(normal, 5, k.Scenario.ExtfragThreshold));
        k.Kswapd.Wakeup(normal, 5, normal.Index);
        k.Kswapd.Step(0);
        Assert.True(sb.Objects < 1_000_000, $"{sb.Objects} objects left");
        Assert.True(k.Counters.KswapdSlabObjectsFreed > 0);
    }
}
