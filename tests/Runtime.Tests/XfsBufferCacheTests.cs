using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;
using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Tests;

/// <summary>
/// XFS's inode cluster buffers (scenario xfs-buffer-cache): logged buffers are held until the AIL
/// writes them back, clean ones wait on the buftarg LRU, and the buftarg shrinker frees them in a
/// GFP_NOFS reclaim that the superblock shrinker defers.
/// </summary>
public class XfsBufferCacheTests
{
    static Kernel Machine() =>
        TestMachine.Kernel(TestMachine.Tiny().WithOverride("files", "8192").WithOverride("xfs-buffer-cache", "on"));

    /// <summary>More buffers than a shrinker batch (128): 3.13 scans a shrinker only a batch at a time.</summary>
    const int Files = 8192, Buffers = Files / XfsBufCache.InodesPerCluster;

    static void Log(Kernel k, int file)
    {
        var attempt = new AllocAttempt();
        Assert.Equal(0, k.Xfs.Buffers!.LogClusterOf(file, ref attempt));
    }

    static ScanState Scan(Gfp gfp) => TestMachine.Scan(gfp);

    [Fact]
    public void The_shipped_scenarios_have_no_buffer_cache()
    {
        Assert.False(BuiltinScenarios.Seed.XfsBufferCache);
        Assert.Null(TestMachine.Kernel().Xfs.Buffers);
    }

    [Fact]
    public void Logging_a_file_reads_its_cluster_into_two_order_0_pages_that_the_log_holds()
    {
        var k = Machine();
        var buffers = k.Xfs.Buffers!;
        long free = k.FreePages;
        Log(k, 0);
        Log(k, 31); // the same 8 KiB cluster: 32 inodes of 256 bytes
        Assert.Equal(1, buffers.Cached);
        Assert.Equal(2, buffers.PagesHeld);
        Assert.Equal(free - 2, k.FreePages);
        Log(k, 32);
        Assert.Equal(2, buffers.Cached);
        // Held by the log: not on the LRU, so the shrinker has nothing to count or free.
        Assert.Equal(0, buffers.OnLru);
        Assert.Equal(0, buffers.Shrink(100, 0));
        Invariants.Check(k);
    }

    [Fact]
    public void A_written_back_buffer_goes_round_the_lru_once_and_is_then_freed()
    {
        var k = Machine();
        var buffers = k.Xfs.Buffers!;
        long free = k.FreePages;
        Log(k, 0);
        buffers.WrittenBack(0); // its checkpoint (0) is not written back yet
        Assert.Equal(0, buffers.OnLru);
        buffers.WrittenBack(1);
        Assert.Equal(1, buffers.OnLru);
        Assert.Equal(0, buffers.Shrink(1, 0)); // XFS_INO_REF: one more trip through the LRU
        Assert.Equal(1, buffers.OnLru);
        Assert.Equal(1, buffers.Shrink(1, 0));
        Assert.Equal(0, buffers.Cached);
        Assert.Equal(free, k.FreePages);
        Invariants.Check(k);
    }

    [Fact]
    public void A_buffer_logged_again_stays_held_until_its_last_checkpoint_is_written_back()
    {
        var k = Machine();
        var buffers = k.Xfs.Buffers!;
        Log(k, 0);
        k.Xfs.Cil.ForceOrSleep(XfsWaitChannels.LogForce); // no commit in progress: the checkpoint is pushed at once
        Log(k, 1);                // the same buffer, logged in checkpoint 1
        buffers.WrittenBack(1);
        Assert.Equal(0, buffers.OnLru);
        buffers.WrittenBack(2);
        Assert.Equal(1, buffers.OnLru);
    }

    [Fact]
    public void Under_gfp_nofs_the_buftarg_shrinker_frees_clean_buffers_while_the_superblock_shrinker_defers()
    {
        var k = Machine();
        var buffers = k.Xfs.Buffers!;
        for (int file = 0; file < Files; file++)
        {
            TestMachine.LookUp(k, file);
            k.Xfs.Unpin(file); // an unused dentry on the LRU: work for the superblock shrinker
            Log(k, file);
        }
        buffers.WriteBackAll();
        Assert.Equal(Buffers, buffers.OnLru);
        long dentries = k.Xfs.DentryLruCount, deferred = k.Shrinkers.TotalDeferred;

        // Reclaim with almost nothing on the LRU lists asks every shrinker for twice its cache.
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), nrPagesScanned: 32, lruPages: 1, size: 0, NodeMask.Of(0));

        Assert.Equal(0, buffers.Cached);
        Assert.Equal(dentries, k.Xfs.DentryLruCount);
        Assert.True(k.Shrinkers.TotalDeferred > deferred, "sb-xfs deferred its work");
        Invariants.Check(k);
    }

    [Fact]
    public void Drop_caches_frees_the_clean_buffers_too()
    {
        var k = Machine();
        var buffers = k.Xfs.Buffers!;
        for (int file = 0; file < Files; file++)
            Log(k, file);
        buffers.WriteBackAll();
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), nrPagesScanned: 1000, lruPages: 1000, size: 0, NodeMask.Of(0));
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), nrPagesScanned: 1000, lruPages: 1000, size: 0, NodeMask.Of(0));
        Assert.Equal(0, buffers.Cached);
    }

    /// <summary>Share of a zone's free pages that sit in blocks below order 3, which no xfs_inode slab can use.</summary>
    static double BelowOrder3(Reporting.ZoneReport zone) =>
        (double)(zone.FreeBlocks[0] + 2 * zone.FreeBlocks[1] + 4 * zone.FreeBlocks[2]) / zone.FreePages;

    [Fact]
    public void A_run_reports_the_buffers_and_the_holes_their_freed_pages_leave_only_with_the_switch()
    {
        var scenario = BuiltinScenarios.Small.WithOverride("drop-caches-at", "60s").WithOverride("duration", "90s");
        var with = Simulation.Run(Linux313Handwritten.Build(), scenario.WithOverride("xfs-buffer-cache", "on"), new RunOptions());
        var end = with.End.XfsBuffers!;
        Assert.Equal(end.Buffers, end.HeldByLog + end.OnLru);
        Assert.Equal(end.Buffers * XfsBufCache.PagesPerClusterBuffer * 4, end.SizeKb);
        // The rm logged the cluster of every file it removed.
        Assert.True(end.Buffers * XfsBufCache.InodesPerCluster >= with.Progress.FilesRemoved, $"{end.Buffers} buffers for {with.Progress.FilesRemoved} files removed");

        var without = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions());
        Assert.Null(without.End.XfsBuffers);

        // Both livelock. Without buffers the free memory of the top zone is in blocks of order 3
        // and 4, freed slabs; with them, the order-0 buffer pages freed between slabs add holes of
        // one to four pages.
        var top = with.DuringLivelock!.Zones[^1];
        var topWithout = without.DuringLivelock!.Zones[^1];
        Assert.True(BelowOrder3(top) > 0.10, $"{BelowOrder3(top):P1} of {top.FreePages} free pages below order 3 with buffers");
        Assert.True(BelowOrder3(topWithout) < 0.05, $"{BelowOrder3(topWithout):P1} of {topWithout.FreePages} free pages below order 3 without");
    }
}
