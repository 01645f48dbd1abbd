using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

/// <summary>The per-CPU page lists (scenario switch pcp-lists): mm/page_alloc.c's per_cpu_pages.</summary>
public class PerCpuPagesTests
{
    [Theory]
    [InlineData(3_975, 0)]     // ZONE_DMA: a batch of one page, and no pages kept (high 0)
    [InlineData(16_384, 3)]    // 64 MiB: 16 / 4 = 4, 4 + 2 = 6, rounded down to 4, less one
    [InlineData(131_072, 31)]  // 512 MiB: the 512 KiB cap, 128 pages / 4 = 32, 48 rounds down to 32
    [InlineData(3_145_728, 31)] // 12 GiB: capped alike
    public void The_batch_is_zone_batchsize(long managedPages, int batch)
    {
        Assert.Equal(batch, PerCpuPages.ZoneBatchSize(managedPages));
        var pcp = new PerCpuPages(managedPages, cpus: 2);
        Assert.Equal(6 * batch, pcp.High);
        Assert.Equal(Math.Max(1, batch), pcp.Batch);
    }

    [Fact]
    public void A_freed_page_waits_on_the_cpu_list_outside_nr_free_and_is_the_next_page_handed_out()
    {
        var k = TestMachine.WithSwitch("pcp-lists", true);
        var zone = k.HighestZone;
        var pcp = zone.Pcp!;
        int pfn = Alloc(k);
        long free = zone.FreePages;
        int onList = pcp.Count(0);

        k.PageAlloc.FreePages(pfn, 0);

        Assert.Equal(PageState.PerCpu, k.Frames.State[pfn]);
        Assert.Equal(free, zone.FreePages); // MemFree does not see it
        Assert.Equal(onList + 1, pcp.Count(0));
        Invariants.Check(k);
        Assert.Equal(pfn, Alloc(k)); // hot: last freed, first reused
    }

    [Fact]
    public void An_empty_list_takes_a_batch_from_the_buddy_lists()
    {
        var k = TestMachine.WithSwitch("pcp-lists", true);
        var zone = k.HighestZone;
        var pcp = zone.Pcp!;
        k.PageAlloc.DrainAllPages();
        long free = zone.FreePages;

        int first = Alloc(k);

        Assert.Equal(free - pcp.Batch, zone.FreePages);
        Assert.Equal(pcp.Batch - 1, pcp.Count(0));
        // The next pages come from the list: the buddy lists are not touched again until it is empty.
        int second = Alloc(k);
        Assert.Equal(free - pcp.Batch, zone.FreePages);
        k.PageAlloc.FreePages(first, 0);
        k.PageAlloc.FreePages(second, 0);
        Invariants.Check(k);
    }

    [Fact]
    public void A_list_at_its_high_mark_gives_a_batch_back_and_the_pages_merge()
    {
        var k = TestMachine.WithSwitch("pcp-lists", true);
        var zone = k.HighestZone;
        var pcp = zone.Pcp!;
        var pages = new List<int>();
        for (int i = 0; i < pcp.High; i++)
            pages.Add(Alloc(k));
        k.PageAlloc.DrainAllPages();
        long free = zone.FreePages;

        foreach (int pfn in pages)
            k.PageAlloc.FreePages(pfn, 0);

        // The High-th free overflows the list: one batch goes back to the buddy lists.
        Assert.Equal(pcp.High - pcp.Batch, pcp.Count(0));
        Assert.Equal(free + pcp.Batch, zone.FreePages);
        Invariants.Check(k);
    }

    [Fact]
    public void Drain_all_pages_empties_every_list_and_the_buddy_lists_merge_the_pages_again()
    {
        var k = TestMachine.WithSwitch("pcp-lists", true);
        var zone = k.HighestZone;
        k.PageAlloc.DrainAllPages();
        long free = zone.FreePages;
        long[] blocks = (long[])zone.NrFree.Clone();
        int pfn = Alloc(k);
        k.PageAlloc.FreePages(pfn, 0);
        Assert.True(zone.FreePages < free);

        Assert.True(k.PageAlloc.DrainAllPages());

        Assert.Equal(0, zone.Pcp!.Total);
        Assert.Equal(free, zone.FreePages);
        Assert.Equal(blocks, zone.NrFree);
        Invariants.Check(k);
    }

    [Fact]
    public void Direct_reclaim_drains_the_lists_before_it_gives_up_on_the_page()
    {
        // Every free page of the machine is taken, and those of the highest zone sit on a per-cpu
        // list, so the buddy lists are empty and the MIN test fails everywhere; the drain after
        // direct reclaim (drain_all_pages) makes them visible again and the retry gets one.
        // (ZONE_DMA's lists hold nothing: its high mark is 0.)
        var k = TestMachine.Kernel(TestMachine.Tiny(mem: "1G", swap: "0").WithOverride("pcp-lists", "on").WithOverride("cpus", "16"));
        var highest = k.HighestZone;
        var pcp = highest.Pcp!;
        var taken = k.Zones.Select(z => TestMachine.TakeAll(k, z, 0)).ToList();
        var pages = new Queue<int>(taken[Array.IndexOf(k.Zones, highest)]);
        // Each CPU's list keeps up to high - 1 pages before it gives a batch back.
        for (int cpu = 0; cpu < pcp.Cpus; cpu++)
            for (int i = 0; i < pcp.High - 1 && pages.Count > 0; i++)
                pcp.Free(k.Frames, highest, cpu, pages.Dequeue(), cold: false);
        Assert.All(k.Zones, z => Assert.Equal(0, z.FreePages));
        Assert.True(pcp.Total > highest.MinWmark, $"{pcp.Total} pages on the lists, MIN {highest.MinWmark}, high {pcp.High}, {pcp.Cpus} CPUs");

        var attempt = new AllocAttempt();
        int page = k.PageAlloc.AllocPages(GfpMasks.GFP_NOFS, 0, PageState.Kernel, -1, ref attempt);

        Assert.True(page >= 0, $"the allocation got {page} although the drained lists held {highest.MinWmark}+ pages");
        Assert.Same(highest, k.ZoneOf(page));
        // Drained, then refilled with one batch for the retry, which took one page of it.
        Assert.Equal(pcp.Batch - 1, pcp.Total);
    }

    [Fact]
    public void Off_by_default_the_zones_have_no_lists_and_order_0_pages_go_straight_back()
    {
        var k = TestMachine.Kernel();
        Assert.All(k.Zones, z => Assert.Null(z.Pcp));
        int pfn = Alloc(k);
        long free = k.HighestZone.FreePages;
        k.PageAlloc.FreePages(pfn, 0);
        Assert.Equal(free + 1, k.HighestZone.FreePages);
        Assert.False(k.PageAlloc.DrainAllPages());
    }

    [Fact]
    public void A_run_with_the_lists_keeps_every_page_accounted_for_and_repeats_itself()
    {
        // Invariants at every sample (pages on the lists are on exactly one list, outside
        // NR_FREE_PAGES), and the same trace twice.
        var report = TestMachine.RunTwiceAlike(BuiltinScenarios.Small.WithOverride("pcp-lists", "on").WithOverride("duration", "60s"));
        Assert.Equal(320_000, report.Progress.FilesCreated);
    }

    static int Alloc(Kernel k)
    {
        var attempt = new AllocAttempt();
        int pfn = k.PageAlloc.AllocPages(GfpMasks.GFP_KERNEL, 0, PageState.Kernel, -1, ref attempt);
        Assert.True(pfn >= 0);
        return pfn;
    }
}
