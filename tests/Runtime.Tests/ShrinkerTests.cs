using Policyc.Runtime.Policy;
using Policyc.Runtime.Vmscan;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

public class ShrinkerTests
{
    static (Kernel K, CountingShrinker S, long Deferred0) Setup(long objects)
    {
        var k = TestMachine.Kernel();
        var s = new CountingShrinker(objects);
        k.Shrinkers.Register(s);
        return (k, s, k.Shrinkers.TotalDeferred);
    }

    static ScanState Scan(Gfp gfp) => TestMachine.Scan(gfp);

    [Fact]
    public void A_nofs_caller_scans_nothing_and_defers_its_work()
    {
        var (k, s, d0) = Setup(100_000);
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), nrPagesScanned: 1000, lruPages: 1000, size: 0, Mm.NodeMask.Of(0));
        Assert.Equal(100_000, s.Objects);
        // delta = (4 * 1000 / 2) * 100000 / 1001 = 199800, capped at 2 x freeable.
        Assert.Equal(d0 + 199_800, k.Shrinkers.TotalDeferred);
    }

    [Fact]
    public void The_deferred_work_is_carried_and_taken_by_the_next_gfp_kernel_caller()
    {
        var (k, s, d0) = Setup(100_000);
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, 1000, 0, Mm.NodeMask.Of(0));
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, 1000, 0, Mm.NodeMask.Of(0));
        // 199800 + 199800, capped at twice the freeable objects.
        Assert.Equal(d0 + 200_000, k.Shrinkers.TotalDeferred);

        // No new work (nothing scanned), only what others deferred: the total is capped at
        // freeable / 2 because the new work is small, and scanned in batches of 1024.
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), 0, 1000, 0, Mm.NodeMask.Of(0));
        Assert.Equal(100_000 - 48 * 1024, s.Objects);
        Assert.Equal(d0 + 50_000 - 48 * 1024, k.Shrinkers.TotalDeferred); // the remainder below a batch
    }

    [Theory]
    [InlineData(125, 0)]             // delta = (4 * 125 / 2) * 100000 / 1000 = 25000, a quarter of the cache: no cap
    [InlineData(124, 100_000 - 48 * 1024)] // delta 24800: capped at half the cache, 48 batches of 1024
    public void The_deferred_work_drains_the_whole_cache_only_when_the_callers_own_work_is_a_quarter_of_it(long scanned, long left)
    {
        // "Only allow the shrinker to scan the entire cache when a large delta change is calculated
        // directly": with 200000 deferred, the total is capped at half the cache unless delta
        // reaches max_pass / 4.
        var (k, s, _) = Setup(100_000);
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, 1000, 0, Mm.NodeMask.Of(0));
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, 1000, 0, Mm.NodeMask.Of(0));

        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), scanned, lruPages: 999, 0, Mm.NodeMask.Of(0));

        Assert.Equal(left, s.Objects);
    }

    [Fact]
    public void A_cache_that_empties_mid_scan_leaves_only_the_last_partial_batch_deferred()
    {
        // 3.13's loop does not count the cache again: with 200000 to scan and 100000 objects it
        // empties the cache in the 98th batch of 1024 and goes on calling scan_objects, which finds
        // nothing, down to 200000 mod 1024 = 320. Those are deferred; every batch counts as scanned.
        var (k, s, d0) = Setup(100_000);
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, 1000, 0, Mm.NodeMask.Of(0));
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, 1000, 0, Mm.NodeMask.Of(0));
        long scannedBefore = k.Counters.VmEvents[(int)Mm.VmEvent.SlabsScanned];

        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), 1000, 1000, 0, Mm.NodeMask.Of(0));

        Assert.Equal(0, s.Objects);
        Assert.Equal(d0 + 320, k.Shrinkers.TotalDeferred);
        Assert.Equal(200_000 - 320, k.Counters.VmEvents[(int)Mm.VmEvent.SlabsScanned] - scannedBefore);
    }

    [Theory]
    [InlineData(5000, 1024, false, 500, 4096)]   // whole batches only
    [InlineData(5000, 1024, true, 500, 5000)]    // 904 left is more than the 500 first counted: scanned too
    [InlineData(5000, 1024, true, 1000, 4096)]   // 904 left is less than the cache was: deferred
    [InlineData(904, 1024, true, 500, 904)]
    [InlineData(0, 128, true, 0, 0)]
    public void The_rest_of_the_loop_over_an_empty_cache_scans_what_its_condition_allows(long totalScan, long batch, bool belowBatch, long freeable, long expected)
    {
        Assert.Equal(expected, ShrinkerSet.EmptyBatches(totalScan, batch, belowBatch, freeable));
    }

    [Fact]
    public void Below_one_batch_nothing_is_scanned_unless_the_policy_says_so()
    {
        var (k, s, _) = Setup(500);
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), 10_000, 1000, 0, Mm.NodeMask.Of(0));
        Assert.Equal(500, s.Objects);

        var k2 = TestMachine.Kernel(change: b => b.AddShrinkerSection("sb-*",
            new Dictionary<HookId, Delegate> { [HookId.ShrinkerScanBelowBatch] = (PolicyHook<bool>)((in HookContext c) => true) },
            new Dictionary<HookId, RuleOrigin>()));
        var s2 = new CountingShrinker(500);
        k2.Shrinkers.Register(s2);
        k2.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), 10_000, 1000, 0, Mm.NodeMask.Of(0));
        Assert.Equal(0, s2.Objects);
    }

    [Fact]
    public void The_work_follows_the_lru_pages_in_3_13_and_the_reclaim_priority_after_9092c71bb724()
    {
        // 3.13: the same scan asks for a hundred times less work when the LRUs are a hundred times larger
        // (as they are when anon counts because a swap slot is free). A NOFS caller defers all of it.
        var (k, _, d0) = Setup(100_000);
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, lruPages: 100_000, 0, Mm.NodeMask.Of(0));
        Assert.Equal(d0 + 1999, k.Shrinkers.TotalDeferred); // (4 * 1000 / 2) * 100000 / 100001

        // scan_by_priority: (100000 >> 12) * 4 / 2 = 48 at DEF_PRIORITY, whatever the LRUs hold.
        foreach (long lruPages in new long[] { 1000, 100_000 })
        {
            var k2 = TestMachine.Kernel(change: b => b.AddShrinkerSection("sb-*",
                new Dictionary<HookId, Delegate> { [HookId.ShrinkerScanByPriority] = (PolicyHook<bool>)((in HookContext c) => true) },
                new Dictionary<HookId, RuleOrigin>()));
            k2.Shrinkers.Register(new CountingShrinker(100_000));
            long before = k2.Shrinkers.TotalDeferred;
            k2.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, lruPages, 0, Mm.NodeMask.Of(0));
            Assert.Equal(before + 48, k2.Shrinkers.TotalDeferred);
        }
    }

    [Fact]
    public void A_caller_that_scanned_nothing_still_asks_for_a_cluster_of_work()
    {
        var (k, s, _) = Setup(100_000);
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), nrPagesScanned: 0, lruPages: 1000, size: 0, Mm.NodeMask.Of(0));
        // nr_pages_scanned 0 counts as SWAP_CLUSTER_MAX: delta = (4 * 32 / 2) * 100000 / 1001 = 6393,
        // scanned in six batches of 1024.
        Assert.Equal(100_000 - 6 * 1024, s.Objects);
    }

    [Theory]
    [InlineData(100, 2)]
    [InlineData(50, 1)]
    [InlineData(200, 4)]
    public void The_superblock_shrinker_scales_its_count_by_vfs_cache_pressure(int pressure, long expected)
    {
        // super_cache_count: vfs_pressure_ratio(total) = total * vfs_cache_pressure / 100. Two files
        // looked up and let go: two unused dentries, whose inodes they still hold.
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("vfs-cache-pressure", pressure.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (int file = 0; file < 2; file++)
        {
            TestMachine.LookUp(k, file);
            k.Xfs.Unpin(file);
        }
        Assert.Equal(2, k.Xfs.DentryLru[0].Count);
        Assert.Equal(expected, k.Xfs.Shrinker.CountObjects(0));
    }
}
