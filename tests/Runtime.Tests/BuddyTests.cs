using Policyc.Runtime.Mm;

namespace Policyc.Runtime.Tests;

public class BuddyTests
{
    [Fact]
    public void An_order_0_allocation_splits_a_max_order_block_and_its_free_merges_it_back()
    {
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        long[] before = (long[])zone.NrFree.Clone();
        long free = zone.FreePages;

        int pfn = Buddy.Rmqueue(k.Frames, zone, 0, MigrateType.Movable);
        Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.Kernel, -1);

        Assert.Equal(free - 1, zone.FreePages);
        Assert.Equal(before[10] - 1, zone.NrFree[10]);
        for (int o = 0; o < 10; o++)
            Assert.Equal(before[o] + 1, zone.NrFree[o]); // one buddy left over at every lower order

        Buddy.FreeOnePage(k.Frames, zone, pfn, 0);
        Assert.Equal(before, zone.NrFree);
        Assert.Equal(free, zone.FreePages);
        Invariants.Check(k);
    }

    [Fact]
    public void Freeing_every_other_page_leaves_half_of_memory_free_and_no_order_1_block()
    {
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        var pages = TestMachine.TakeAll(k, zone, 0, MigrateType.Movable);
        foreach (var p in pages.Where(p => p % 2 == 0))
            Buddy.FreeOnePage(k.Frames, zone, p, 0);

        Assert.Equal(pages.Count / 2, zone.FreePages, 1.0);
        Assert.True(zone.FreePages > 0);
        for (int o = 1; o < Zone.MaxOrder; o++)
            Assert.Equal(0, zone.NrFree[o]);
        // Plenty free at order 0, nothing at order 4: fragmentation, not lack of memory.
        Assert.True(zone.WatermarkOk(0, zone.HighWmark, zone.Index));
        Assert.False(zone.WatermarkOk(4, zone.MinWmark, zone.Index));
        Assert.Equal(1000 - (1000 + zone.FreePages * 1000 / 16) / zone.FreePages,
            Policy.Watermarks.FragmentationIndex(zone.NrFree, 4));
    }

    [Fact]
    public void A_reclaimable_allocation_steals_a_whole_movable_pageblock()
    {
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        int pfn = Buddy.Rmqueue(k.Frames, zone, 3, MigrateType.Reclaimable);
        Assert.True(pfn >= 0);
        Assert.Equal(MigrateType.Reclaimable, k.Frames.PageblockOf(pfn));
        Buddy.MarkAllocated(k.Frames, pfn, 3, PageState.Kernel, -1);
        // The rest of the stolen pageblock now serves reclaimable requests without another steal.
        int next = Buddy.RmqueueSmallest(k.Frames, zone, 3, MigrateType.Reclaimable);
        Assert.Equal(pfn >> PageFrames.PageblockOrder, next >> PageFrames.PageblockOrder);
    }
}
