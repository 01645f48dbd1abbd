using Policyc.Runtime.Mm;

namespace Policyc.Runtime.Tests;

public class WatermarkTests
{
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
}
