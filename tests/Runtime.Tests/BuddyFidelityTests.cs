using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

/// <summary>
/// Two rules of 3.13's buddy allocator behind scenario switches: MIGRATE_RESERVE pageblocks
/// (setup_zone_migrate_reserve, __rmqueue's retry_reserve) and __free_one_page's tail placement.
/// </summary>
public class BuddyFidelityTests
{
    static int ReservePageblocks(Kernel k, Zone zone)
    {
        int count = 0;
        for (int pfn = zone.StartPfn; pfn < zone.EndPfn; pfn += 1 << PageFrames.PageblockOrder)
            if (k.Frames.PageblockOf(pfn) == MigrateType.Reserve)
                count++;
        return count;
    }

    [Fact]
    public void Each_zone_sets_aside_min_of_2_and_its_min_watermark_in_pageblocks_at_its_bottom()
    {
        var on = TestMachine.WithSwitch("migrate-reserve", true);
        foreach (var zone in on.Zones)
        {
            long expected = Math.Min(2, (zone.MinWmark + 511) / 512);
            Assert.Equal(expected, ReservePageblocks(on, zone));
            Assert.Equal(MigrateType.Reserve, on.Frames.PageblockOf(zone.StartPfn));
        }
        var off = TestMachine.WithSwitch("migrate-reserve", false);
        Assert.All(off.Zones, zone => Assert.Equal(0, ReservePageblocks(off, zone)));
    }

    [Fact]
    public void The_reserve_is_handed_out_only_when_every_other_list_is_empty_and_never_stolen()
    {
        var k = TestMachine.WithSwitch("migrate-reserve", true);
        var zone = k.Zones[^1];
        long reservePages = Enumerable.Range(0, Zone.MaxOrder).Sum(o => k.Zones[^1].FreeList(o, MigrateType.Reserve).Count << o);
        Assert.True(reservePages >= 512, $"the reserve holds {reservePages} free pages");

        // Unmovable order-0 pages, stealing from movable blocks, until nothing else is left.
        var held = new List<int>();
        while (zone.FreePages > reservePages)
        {
            int pfn = Buddy.Rmqueue(k.Frames, zone, 0, MigrateType.Unmovable);
            Assert.NotEqual(MigrateType.Reserve, k.Frames.PageblockOf(pfn));
            Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.Kernel, -1);
            held.Add(pfn);
        }
        // Now only the reserve is left: an order-5 request gets its block there, and the block's
        // pageblock stays a reserve one.
        int last = Buddy.Rmqueue(k.Frames, zone, 5, MigrateType.Unmovable);
        Assert.True(last >= 0);
        Assert.Equal(MigrateType.Reserve, k.Frames.PageblockOf(last));
        Assert.Equal(reservePages - 32, zone.FreePages);
    }

    [Fact]
    public void A_freed_block_whose_next_higher_buddy_is_free_goes_to_the_tail_of_its_list()
    {
        foreach (bool on in new[] { false, true })
        {
            var frames = new PageFrames(2048);
            var zone = new Zone(2, "Normal", 0, 2048, 0) { FreeLikelyMergesToTail = on };
            // Free pages 16-31 (an order-4 block) and 40-47, then 8-15: the order-3 block 8-15 cannot
            // merge with 0-7 (in use) but its order-4 parent's buddy, 16-31, is free.
            Buddy.FreeOnePage(frames, zone, 16, 4);
            Buddy.FreeOnePage(frames, zone, 40, 3);
            Buddy.FreeOnePage(frames, zone, 8, 3);
            var list = zone.FreeList(3, MigrateType.Movable);
            Assert.Equal(2, list.Count);
            // 40-47's parent buddy (48-63) is in use: it went to the head either way.
            Assert.Equal(on ? 40 : 8, list.Head);
            Assert.Equal(on ? 8 : 40, list.Tail);
        }
    }
}
