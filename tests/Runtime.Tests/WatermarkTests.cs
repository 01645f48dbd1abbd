using Policyc.Runtime.Mm;

namespace Policyc.Runtime.Tests;

public class WatermarkTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(2147483648)]
    [InlineData(4294967296)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void An_order_outside_0_to_10_names_no_block_rather_than_wrapping_or_failing(long order)
    {
        // A policy's count may be any number; the kernel's orders are 0..MAX_ORDER-1. A policy such
        // as zone.free_at_order(kswapd.order + 2147483648) once ended the run with an internal error.
        long[] blocks = [5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1];
        long free = blocks.Select((n, o) => n << o).Sum();
        Assert.Equal(0, Policy.Watermarks.FreePagesAtOrAbove(blocks, order));
        Assert.False(Policy.Watermarks.Ok(free, blocks, 0, order, 0));
        Assert.Equal(0, Policy.Watermarks.FragmentationIndex(blocks, order));
        Assert.False(Policy.Watermarks.CompactionSuitable(free, blocks, 0, order, 500));
        // In range, the same blocks answer as the kernel would.
        Assert.Equal(1024, Policy.Watermarks.FreePagesAtOrAbove(blocks, 10));
        Assert.Equal(free, Policy.Watermarks.FreePagesAtOrAbove(blocks, 0));
        Assert.True(Policy.Watermarks.Ok(free, blocks, 0, 10, 0));
    }

    [Fact]
    public void Watermarks_follow_min_free_kbytes_split_by_zone_size()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny(mem: "64M"));
        // int_sqrt(65536 KiB * 16) = 1024 KiB = 256 pages across the zones.
        long min = k.Zones.Sum(z => z.MinWmark);
        Assert.InRange(min, 250, 256);
        foreach (var z in k.Zones)
        {
            Assert.Equal(z.MinWmark + z.MinWmark / 4, z.LowWmark);
            Assert.Equal(z.MinWmark + z.MinWmark / 2, z.HighWmark);
        }
    }

    [Fact]
    public void A_lower_zone_keeps_a_lowmem_reserve_from_allocations_that_could_use_a_higher_zone()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny(mem: "64M"));
        var dma = k.Zones[0];
        Assert.Equal(k.Zones[1].ManagedPages / 256, dma.LowmemReserve[1]);
        Assert.True(dma.WatermarkOk(0, dma.MinWmark, classzone: 0));
        Assert.False(dma.WatermarkOk(0, dma.MinWmark + dma.FreePages - dma.LowmemReserve[1], classzone: 1));
    }

    [Fact]
    public void The_fast_path_fails_below_low_and_the_allocation_wakes_kswapd()
    {
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z.LowWmark - 1);
        Assert.True(k.Kswapd.Asleep);
        var attempt = new AllocAttempt();
        int pfn = k.PageAlloc.AllocPages(Policy.GfpMasks.GFP_KERNEL, 0, PageState.Kernel, -1, ref attempt);
        Assert.True(pfn >= 0); // above MIN, the slow path's second try succeeds
        Assert.False(k.Kswapd.Asleep);
        Assert.Equal(1, k.Kswapd.Wakeups);
    }

    [Theory]
    // ALLOC_HIGH alone (__GFP_NOMEMALLOC keeps an atomic request from ALLOC_HARDER): MIN - MIN/2.
    [InlineData(Policy.GfpMasks.GFP_ATOMIC | Policy.Gfp.NOMEMALLOC, false)]
    // GFP_ATOMIC: ALLOC_HIGH and ALLOC_HARDER, a quarter of that again.
    [InlineData(Policy.GfpMasks.GFP_ATOMIC, true)]
    public void An_atomic_request_dips_below_half_of_min_with_alloc_harder(Policy.Gfp gfp, bool served)
    {
        // Every zone full but the highest, which holds exactly MIN - MIN/2 free pages: more than
        // ALLOC_HARDER's mark, not more than ALLOC_HIGH's.
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        foreach (var z in k.Zones)
        {
            var held = TestMachine.TakeAll(k, z, 0);
            if (z == zone)
                foreach (int pfn in held.Where(p => p % 2 == 0).Take((int)(zone.MinWmark - zone.MinWmark / 2)))
                    Buddy.FreeOnePage(k.Frames, zone, pfn, 0);
        }
        Assert.Equal(zone.MinWmark - zone.MinWmark / 2, zone.FreePages);

        var attempt = new AllocAttempt();
        int result = k.PageAlloc.AllocPages(gfp, 0, PageState.Kernel, -1, ref attempt);

        Assert.Equal(served, result >= 0);
    }

    [Fact]
    public void Allocations_in_a_row_pass_the_watermark_until_the_blocks_at_the_order_run_short()
    {
        // MIN 128: an order-5 request needs more than 128 >> 5 = 4 pages left in blocks of order 5
        // and up once its own 31 are set aside. Of three order-5 blocks two are taken; with one
        // left, 32 - 31 = 1 page is not enough.
        var blocks = new long[Policy.Watermarks.MaxOrder];
        blocks[3] = 1000;
        blocks[5] = 3;
        long free = 8000 + 96;
        Assert.Equal(2, Policy.Watermarks.AllocationsPassing(free, blocks, 128, 5, 0));
        // An order-6 block is split: one half is taken, the other stays free at order 5.
        blocks[5] = 0;
        blocks[6] = 1;
        Assert.Equal(1, Policy.Watermarks.AllocationsPassing(8000 + 64, blocks, 128, 5, 0));
        Assert.Equal(1, blocks[6]); // the caller's counts are left as they were
        // Below MIN + reserve nothing passes, whatever the blocks.
        Assert.Equal(0, Policy.Watermarks.AllocationsPassing(8000 + 64, blocks, 128, 5, 8000));
    }
}

public class CompactionReadyLineTests
{
    [Theory]
    // The gap is LOW or 1% of the zone, rounded up (KSWAPD_ZONE_BALANCE_GAP_RATIO), whichever is smaller.
    [InlineData(1_000, 150, 2)]           // 1% of 150 pages is 1.5: rounded up to 2
    [InlineData(1_000, 100, 1)]           // exactly 1%
    [InlineData(1_000, 101, 2)]
    [InlineData(5, 3_276_800, 5)]         // a big zone's gap is its LOW
    [InlineData(9_000, 3_276_800, 9_000)]
    public void The_balance_gap_is_low_or_one_percent_of_the_zone_rounded_up(long low, long managed, long gap) =>
        Assert.Equal(gap, Policy.Watermarks.BalanceGap(low, managed));

    [Theory]
    // LOW 100, order 5: compaction needs more than LOW + 2 << 5 = 164 pages free at order 0. The free
    // memory is in order-3 blocks, a quarter of the request each, so the fragmentation index is
    // about 700, above the threshold of 500, and only the watermark decides.
    [InlineData(21, true)]   // 168 pages free
    [InlineData(20, false)]  // 160: above LOW + 1 << 5, but not above LOW + 2 << 5
    public void Compaction_is_suitable_only_with_low_plus_twice_the_request_free_for_the_migration_copies(long order3Blocks, bool suitable)
    {
        var freeBlocks = new long[Policy.Watermarks.MaxOrder];
        freeBlocks[3] = order3Blocks;
        Assert.True(Policy.Watermarks.FragmentationIndex(freeBlocks, 5) > 500);
        Assert.Equal(suitable, Policy.Watermarks.CompactionSuitable(order3Blocks * 8, freeBlocks, low: 100, order: 5, extfragThreshold: 500));
    }

    [Fact]
    public void A_zone_counts_as_ready_for_compaction_above_high_plus_the_gap_plus_twice_the_request()
    {
        // ZONE_NORMAL on `seed` (LOW 4,161, HIGH 4,993, about 3.2M pages, so the gap is LOW): the run
        // report's "ready above" for the looping order-5 request is 9,218.
        Assert.Equal(9_218, Policy.Watermarks.CompactionReadyWatermark(4_161, 4_993, 3_200_000, order: 5));
        // A small zone's gap is its 1%, rounded up.
        Assert.Equal(12 + 2 + 16, Policy.Watermarks.CompactionReadyWatermark(10, 12, 150, order: 3));
    }
}
