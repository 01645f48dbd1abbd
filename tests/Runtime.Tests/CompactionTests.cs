using Policyc.Runtime.Mm;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Tests;

/// <summary>
/// 3.13's compaction (mm/compaction.c): which pageblocks its scanners take pages from and into,
/// the skip bits, and __alloc_pages_direct_compact's bookkeeping in the slow path.
/// </summary>
public class CompactionTests
{
    const int PageblockPages = 1 << PageFrames.PageblockOrder;
    const int AnonPages = 64;

    /// <summary>
    /// The highest zone held whole, but for <paramref name="anonPages"/> pages of process 0 on its inactive
    /// anon list at the start of its first whole pageblock (typed <paramref name="sourceType"/>), and
    /// every other page free in its top four pageblocks (typed <paramref name="targetType"/>): order-0
    /// holes, so an order-2 request finds its fragmentation index at 750 and compaction suitable.
    /// With <paramref name="holeOrder"/> the holes are blocks of that order, every other one free.
    /// With <paramref name="pcpLists"/> the machine has 1 GiB, so that its per-cpu lists hold 186
    /// pages before they give a batch back.
    /// </summary>
    static (Kernel K, Zone Zone, int[] Anon) Layout(MigrateType sourceType, MigrateType targetType, Action<PolicyTableBuilder>? change = null, int anonPages = AnonPages, int holeOrder = 0, bool pcpLists = false)
    {
        var scenario = pcpLists ? TestMachine.Tiny(mem: "1G", swap: "0").WithOverride("pcp-lists", "on") : TestMachine.Tiny(swap: "0");
        var k = TestMachine.Kernel(scenario, change);
        foreach (var z in k.Zones)
            foreach (int pfn in TestMachine.TakeAll(k, z, 0))
                k.Frames.State[pfn] = PageState.Reserved;
        var zone = k.HighestZone;
        int source = (zone.StartPfn + PageblockPages - 1) & ~(PageblockPages - 1);
        k.Frames.PageblockType[source >> PageFrames.PageblockOrder] = sourceType;
        var anon = Enumerable.Range(source, anonPages).ToArray();
        foreach (int pfn in anon)
        {
            Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.Anon, 0);
            k.Processes.Rss[0]++;
            zone.Lrus[(int)Lru.InactiveAnon].AddHead(k.Frames, pfn);
        }
        int targets = (zone.EndPfn & ~(PageblockPages - 1)) - 4 * PageblockPages;
        for (int pb = targets; pb < targets + 4 * PageblockPages; pb += PageblockPages)
            k.Frames.PageblockType[pb >> PageFrames.PageblockOrder] = targetType;
        int hole = 1 << holeOrder;
        for (int block = targets; block < targets + 4 * PageblockPages; block += 2 * hole)
            for (int pfn = block; pfn < block + hole; pfn++)
                k.PageAlloc.FreePage(pfn, cold: false);
        k.PageAlloc.DrainAllPages();
        if (pcpLists)
            // The 64 MiB machine's marks, which its 1024 free pages pass as they do there.
            (zone.MinWmark, zone.LowWmark, zone.HighWmark) = (192, 240, 288);
        Assert.Equal(0, zone.NrFree.Take(holeOrder).Sum() + zone.NrFree.Skip(holeOrder + 1).Sum());
        Assert.True(Compaction.Suitable(zone, 2, k.Scenario.ExtfragThreshold));
        return (k, zone, anon);
    }

    static IEnumerable<int> LruPages(Kernel k, Zone zone)
    {
        for (int pfn = zone.Lrus[(int)Lru.InactiveAnon].Head; pfn >= 0; pfn = k.Frames.Next[pfn])
            yield return pfn;
    }

    [Theory]
    [InlineData(MigrateType.Movable, true)]
    [InlineData(MigrateType.Reclaimable, false)]
    public void Only_free_pages_in_movable_pageblocks_are_migration_targets(MigrateType targetType, bool moves)
    {
        var (k, zone, anon) = Layout(MigrateType.Movable, targetType);
        var result = k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Movable, isKswapd: false);
        bool stayed = LruPages(k, zone).ToHashSet().SetEquals(anon);
        Assert.Equal(moves, !stayed);
        // With targets the freed source merges into a free order-2 block; without, the free scanner
        // runs dry (-ENOMEM) and compaction ends with COMPACT_PARTIAL, nothing moved.
        Assert.Equal(moves, zone.NrFree.Skip(2).Sum() > 0);
        if (!moves)
            Assert.Equal(CompactResult.Partial, result);
        Invariants.Check(k);
    }

    [Theory]
    [InlineData(MigrateType.Movable, true)]
    [InlineData(MigrateType.Unmovable, false)]
    public void A_run_ends_early_only_on_a_block_free_on_the_requests_own_lists(MigrateType request, bool endsEarly)
    {
        // A whole pageblock of pages leaves a movable pageblock, so the blocks they free are on the
        // movable lists. Once those pass the order-2 watermark, compact_finished ends a movable
        // request's run (COMPACT_PARTIAL); an unmovable one goes on until the scanners meet
        // (COMPACT_COMPLETE).
        var (k, zone, _) = Layout(MigrateType.Movable, MigrateType.Movable, anonPages: PageblockPages);
        var expected = endsEarly ? CompactResult.Partial : CompactResult.Complete;
        Assert.Equal(expected, k.Compaction.CompactZone(zone, 2, syncMigration: true, request, isKswapd: false));
        Assert.True(zone.NrFree.Skip(2).Sum() > 0);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(4, false)]
    public void The_free_scanner_takes_no_block_that_would_leave_the_zone_below_low(int holeOrder, bool moves)
    {
        var (k, zone, anon) = Layout(MigrateType.Movable, MigrateType.Movable, holeOrder: holeOrder);
        // Ten pages above LOW: compaction_suitable passes for order 2 (more than LOW + 2<<2 free),
        // and with order-4 blocks free the order-2 test at LOW + 8 still fails, so the run starts.
        // The request is unmovable, as a kmalloc is: the order-4 blocks on the movable lists do not
        // end its run (compact_finished).
        zone.LowWmark = zone.FreePages - 10;
        Assert.True(Compaction.Suitable(zone, 2, k.Scenario.ExtfragThreshold));
        Assert.False(zone.WatermarkOk(2, zone.LowWmark + 8, 0));

        var result = k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Unmovable, isKswapd: false);

        // split_free_page takes a block only while the zone keeps LOW + 2^order at order 0. A single
        // page at a time fits in the ten (each migration frees its source again); a 16-page block
        // never does, so the free scanner runs dry, nothing moves, and the run ends -ENOMEM.
        Assert.Equal(moves, !LruPages(k, zone).ToHashSet().SetEquals(anon));
        if (!moves)
            Assert.Equal(CompactResult.Partial, result);
        Assert.True(zone.FreePages > zone.LowWmark);
        Invariants.Check(k);
    }

    [Theory]
    [InlineData(false, 64)]
    [InlineData(true, 9)]
    public void A_moved_pages_old_frame_goes_to_the_per_cpu_list_where_it_does_not_count_as_free(bool pcpLists, int moved)
    {
        var (k, zone, anon) = Layout(MigrateType.Movable, MigrateType.Movable, pcpLists: pcpLists);
        zone.LowWmark = zone.FreePages - 10;

        var result = k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Unmovable, isKswapd: false);

        // The free scanner takes single pages while the zone stays above LOW + 1: nine of them.
        // Without per-cpu lists each migration frees its old frame to the buddy lists, so the zone
        // climbs back and the scanner takes more. With them the nine old frames wait on this CPU's
        // list (release_pages), the zone stays at LOW + 1, and the run ends -ENOMEM.
        Assert.Equal(moved, LruPages(k, zone).Count(pfn => !anon.Contains(pfn)));
        Assert.Equal(pcpLists ? CompactResult.Partial : CompactResult.Complete, result);
        if (pcpLists)
            Assert.Equal(moved, zone.Pcp!.Count(k.CurrentCpu));
        Invariants.Check(k);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void After_compaction_the_request_is_tried_at_min_and_takes_a_block_that_low_would_refuse(bool pcpLists)
    {
        // With per-cpu lists the moved pages' old frames wait there, and only the drain before the
        // allocation ("we want merging") lets them merge into the block.
        var (k, zone, anon) = Layout(MigrateType.Movable, MigrateType.Movable, pcpLists: pcpLists);
        // After the 64 pages move, 64 of the zone's free pages lie in one block and the rest in
        // order-0 holes: the order-2 test passes a mark below 122 pages and fails one above. LOW
        // 80 pages below the free ones also holds the free scanner to 79 pages, so that with
        // per-cpu lists the old frames and the isolated pages left over (79 in all) stay below
        // the list's high mark of 186 and wait there for the drain.
        zone.MinWmark = 100;
        zone.LowWmark = zone.FreePages - 80;
        zone.HighWmark = zone.LowWmark + 48;

        var attempt = new AllocAttempt();
        int pfn = k.PageAlloc.AllocPages(GfpMasks.GFP_KERNEL, 2, PageState.Kernel, -1, ref attempt);

        // __alloc_pages_direct_compact's get_page_from_freelist runs with the slow path's
        // ALLOC_WMARK_MIN, so the block compaction made is taken though LOW would refuse it.
        Assert.True(pfn >= 0);
        Assert.Equal(1, k.Counters.VmEvents[(int)VmEvent.CompactSuccess]);
        Assert.False(LruPages(k, zone).ToHashSet().SetEquals(anon));
        Assert.False(zone.WatermarkOk(2, zone.LowWmark, 0));
        Assert.True(zone.WatermarkOk(2, zone.MinWmark, 0));
    }

    [Fact]
    public void A_migrated_page_goes_on_at_the_head_of_its_lru_list()
    {
        var (k, zone, anon) = Layout(MigrateType.Movable, MigrateType.Movable);
        k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Movable, isKswapd: false);
        var lru = LruPages(k, zone).ToList();
        int moved = lru.Count(pfn => !anon.Contains(pfn));
        Assert.True(moved > 0);
        // putback_lru_page adds each new page at the head, so the moved pages lead the list.
        Assert.All(lru.Take(moved), pfn => Assert.DoesNotContain(pfn, anon));
        Assert.All(lru.Skip(moved), pfn => Assert.Contains(pfn, anon));
    }

    [Fact]
    public void Async_compaction_passes_over_a_pageblock_that_is_not_movable_and_3_13_marks_it_skipped()
    {
        var (k, zone, anon) = Layout(MigrateType.Reclaimable, MigrateType.Movable);
        int sourceBlock = anon[0] >> PageFrames.PageblockOrder;

        k.Compaction.CompactZone(zone, 2, syncMigration: false, MigrateType.Movable, isKswapd: false);
        Assert.True(LruPages(k, zone).ToHashSet().SetEquals(anon));
        Assert.True(k.Frames.PageblockSkip[sourceBlock]);

        // Until the skip bits are cleared, sync compaction passes the block over too.
        k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Movable, isKswapd: false);
        Assert.True(LruPages(k, zone).ToHashSet().SetEquals(anon));

        // The scanners met, so kswapd's next sleep clears the bits; then sync compaction moves the pages.
        Assert.True(zone.CompactBlockskipFlush);
        k.Compaction.ResetIsolationSuitable(k.Nodes[0]);
        Assert.False(k.Frames.PageblockSkip[sourceBlock]);
        k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Movable, isKswapd: false);
        Assert.False(LruPages(k, zone).ToHashSet().SetEquals(anon));
        Invariants.Check(k);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Compaction_restarting_after_its_longest_back_off_clears_the_skip_bits_but_not_for_kswapd(bool isKswapd, bool moves)
    {
        var (k, zone, anon) = Layout(MigrateType.Reclaimable, MigrateType.Movable);
        k.Compaction.CompactZone(zone, 2, syncMigration: false, MigrateType.Movable, isKswapd: false);
        Assert.True(k.Frames.PageblockSkip[anon[0] >> PageFrames.PageblockOrder]);
        // compaction_restarting: deferred at the longest shift (64) and considered that often.
        zone.CompactOrderFailed = 2;
        zone.CompactDeferShift = 6;
        zone.CompactConsidered = 64;

        k.Compaction.CompactZone(zone, 2, syncMigration: true, MigrateType.Movable, isKswapd);

        Assert.Equal(moves, !LruPages(k, zone).ToHashSet().SetEquals(anon));
    }

    [Fact]
    public void Compact_pgdat_raises_compact_order_failed_and_leaves_the_back_off()
    {
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        zone.DeferCompaction(5);
        zone.DeferCompaction(5);
        Assert.True(zone.WatermarkOk(5, zone.LowWmark, 0));

        k.Compaction.CompactPgdat(k.Nodes[0], 5);

        // __compact_pgdat: "if (ok && cc->order >= zone->compact_order_failed)" raises the order only.
        Assert.Equal(6, zone.CompactOrderFailed);
        Assert.Equal(2, zone.CompactDeferShift);
    }

    [Fact]
    public void Direct_compaction_is_async_first_then_sync_and_only_a_sync_failure_defers_the_preferred_zone()
    {
        // Nothing to reclaim (anon, no swap) and no migration target (the holes are in reclaimable
        // pageblocks): every compaction fails. The rule retries once.
        int retries = 0;
        var (k, zone, _) = Layout(MigrateType.Movable, MigrateType.Reclaimable, b => b
            .Set(HookId.GfpShouldRetry, (PolicyHook<bool>)((in HookContext c) => retries++ == 0))
            .Set(HookId.GfpMayOom, (PolicyHook<bool>)((in HookContext c) => false)));

        var attempt = new AllocAttempt();
        Assert.Equal(PageAllocator.Wait, k.PageAlloc.AllocPages(GfpMasks.GFP_KERNEL, 2, PageState.Kernel, -1, ref attempt));
        Assert.Equal(1, k.Counters.VmEvents[(int)VmEvent.CompactStall]);
        Assert.Equal(1, k.Counters.VmEvents[(int)VmEvent.CompactFail]);
        Assert.Equal(0, zone.CompactDeferShift); // async: not deferred

        Assert.Equal(PageAllocator.Failed, k.PageAlloc.AllocPages(GfpMasks.GFP_KERNEL, 2, PageState.Kernel, -1, ref attempt));
        // The retry's compaction is sync and defers the zone; the last one is then deferred itself.
        Assert.Equal(1, zone.CompactDeferShift);
        Assert.Equal(2, k.Counters.VmEvents[(int)VmEvent.CompactStall]);
        Assert.Equal(2, k.Counters.VmEvents[(int)VmEvent.CompactFail]);
    }
}
