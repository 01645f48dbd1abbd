using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Tests;

public class ReclaimTests
{
    sealed class CallCounter : Vmscan.IShrinker
    {
        public int Calls;
        public string Name => "counter";
        public long CountObjects(int nid)
        {
            Calls++;
            return 0;
        }
        public long ScanObjects(long nrToScan, int nid) => 0;
    }

    [Fact]
    public void Reclaim_aborted_for_compaction_shrinks_slab_once_and_goes_no_further()
    {
        var k = TestMachine.Kernel();
        // Half of every zone free in large blocks: ready for compaction at order 4, so shrink_zones
        // skips each zone and do_try_to_free_pages stops after its first pass (3.11 on).
        TestMachine.FillWithPageCache(k, z => z.ManagedPages / 2);
        Assert.All(k.Zones, z => Assert.True(k.Reclaim.CompactionReady(z, 4)));
        var counter = new CallCounter();
        k.Shrinkers.Register(counter);

        long progress = k.Reclaim.TryToFreePages(GfpMasks.GFP_KERNEL, order: 4, size: 64 * 1024);

        Assert.Equal(1, counter.Calls);
        Assert.Equal(1, progress); // "aborted reclaim to try compaction? don't OOM, then"
    }

    [Fact]
    public void Compaction_ready_counts_itself_against_a_deferral_as_compaction_deferred_does()
    {
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z.ManagedPages / 2);
        // A zone that never failed to compact is not deferred.
        Assert.False(zone.CompactionWouldBeDeferred(5));
        // One failure defers the next consideration (defer_compaction: 1 << compact_defer_shift = 2).
        zone.DeferCompaction(5);
        Assert.True(zone.CompactionWouldBeDeferred(5));
        Assert.True(k.Reclaim.CompactionReady(zone, 5)); // deferred: ready as soon as the watermark is
        Assert.False(zone.CompactionWouldBeDeferred(5)); // ... and that consideration used the deferral up
    }
}
