using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Tests;

/// <summary>shrink_lruvec's loop: when it stops once the pass has reclaimed its pages.</summary>
public class ShrinkLruvecTests
{
    const int InactiveFilePages = 1000; // clean page cache: every page scanned is reclaimed
    const int InactiveAnonPages = 100;

    /// <summary>
    /// A zone with nothing free, clean page cache and anon on the inactive lists (anon on the active
    /// list with <paramref name="anonActive"/>), and free swap unless <paramref name="swap"/> is 0,
    /// scanned at priority 0 with swappiness 60: get_scan_count's SCAN_EQUAL makes each whole list
    /// the target. The first batch takes 32 pages of each list and reclaims the 32 file pages: the
    /// pass's goal.
    /// </summary>
    static (Kernel K, Zone Zone, ScanState Sc) PriorityZeroPass(bool kswapd, string swap = "4M", bool anonActive = false)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny(swap: swap));
        var zone = k.HighestZone;
        var held = TestMachine.TakeAll(k, zone, 0);
        foreach (int pfn in held.Take(InactiveFilePages))
        {
            k.Frames.State[pfn] = PageState.File;
            zone.Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
        }
        foreach (int pfn in held.Skip(InactiveFilePages).Take(InactiveAnonPages))
        {
            k.Frames.State[pfn] = PageState.Anon;
            if (anonActive)
                k.Frames.Flags[pfn] |= PageFlags.Active;
            zone.Lrus[(int)(anonActive ? Lru.ActiveAnon : Lru.InactiveAnon)].AddHead(k.Frames, pfn);
        }
        var sc = new ScanState();
        sc.Reset(GfpMasks.GFP_KERNEL, 0, Reclaim.SwapClusterMax, isKswapd: kswapd);
        sc.Priority = 0;
        return (k, zone, sc);
    }

    [Fact]
    public void Direct_reclaim_stops_after_the_batch_that_reclaims_its_pages()
    {
        var (k, zone, sc) = PriorityZeroPass(kswapd: false);
        k.Reclaim.Lru.ShrinkZone(zone, sc, 0);
        Assert.Equal(InactiveFilePages - Reclaim.SwapClusterMax, zone.LruPages(Lru.InactiveFile));
        Assert.Equal(2 * Reclaim.SwapClusterMax, sc.NrScanned);
    }

    [Fact]
    public void Kswapd_past_its_goal_stops_the_smaller_list_and_scans_the_other_to_the_same_fraction()
    {
        // 3.13 (since 3.11's e82e0561dae9): with its goal reclaimed, kswapd stops the type with less
        // left to scan, anon (68 of 100 left), and cuts file's remaining target so that file too
        // ends at the fraction anon reached: 68 * 100 / (100 + 1) = 67% left, so file scans
        // 1000 * 33 / 100 = 330 pages in all.
        var (k, zone, sc) = PriorityZeroPass(kswapd: true);
        k.Reclaim.Lru.ShrinkZone(zone, sc, 0);
        Assert.Equal(InactiveFilePages - 330, zone.LruPages(Lru.InactiveFile));
        Assert.Equal(Reclaim.SwapClusterMax + 330, sc.NrScanned);
    }

    [Fact]
    public void Only_kswapd_forces_a_scan_of_an_unreclaimable_zone_whose_lists_are_too_short_for_the_priority()
    {
        // force_scan is for kswapd (and memcg reclaim): direct reclaim at priority 12 scans
        // 1000 >> 12 = 0 pages of a zone scanned six times over since its last free.
        var (k, zone, sc) = PriorityZeroPass(kswapd: false);
        sc.Priority = Reclaim.DefPriority;
        zone.PagesScanned = 6 * (InactiveFilePages + InactiveAnonPages);
        Assert.False(zone.IsReclaimable(k.Swap.NrSwapPages));
        k.Reclaim.Lru.ShrinkZone(zone, sc, 0);
        Assert.Equal(0, sc.NrScanned);
    }

    [Fact]
    public void Without_gfp_io_an_anon_page_stays_on_the_inactive_list()
    {
        // shrink_page_list: an anon page not in the swap cache needs __GFP_IO for add_to_swap;
        // without it the page is kept (keep_locked), not activated.
        var (k, zone, sc) = PriorityZeroPass(kswapd: false);
        sc.MayIo = false;
        k.Reclaim.Lru.ShrinkZone(zone, sc, 0);
        Assert.Equal(InactiveAnonPages, zone.LruPages(Lru.InactiveAnon));
        Assert.Equal(0, zone.LruPages(Lru.ActiveAnon));
    }

    [Fact]
    public void Without_swap_active_anon_is_never_aged()
    {
        // inactive_anon_is_low is false with no swap at all: the active anon list is left alone
        // even with nothing on the inactive one.
        var (k, zone, sc) = PriorityZeroPass(kswapd: false, swap: "0", anonActive: true);
        k.Reclaim.Lru.ShrinkZone(zone, sc, 0);
        Assert.Equal(InactiveAnonPages, zone.LruPages(Lru.ActiveAnon));
        Assert.Equal(0, zone.LruPages(Lru.InactiveAnon));
    }
}
