using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

/// <summary>
/// 3.13's scan_swap_map walks the map without si->lock. Two tasks reclaiming at once both read
/// cluster_next on entry; when the first takes the top free slot, highest_bit drops below the second
/// one's walk, which wraps around, skips lowest_bit and takes a slot below cluster_next. That leaves
/// the one state a5998061daab is about (the last free slot at lowest_bit, cluster_next below a stale
/// highest_bit) from three free slots and no further free. With one scan at a time it does not arise.
/// </summary>
public class SwapScanUnlockedTests
{
    const int Lowest = 3, Middle = 20, Top = 40;

    static Kernel Machine(bool unlocked, bool skipLowestBit = true)
    {
        var scenario = TestMachine.Tiny(swap: "256k").WithOverride("swap-scan-unlocked", unlocked ? "on" : "off");
        return TestMachine.Kernel(scenario, b => b.Set(HookId.SwapSkipLowestBit, (PolicyHook<bool>)((in HookContext c) => skipLowestBit)));
    }

    /// <summary>A full device with three slots freed, and cluster_next between the two upper ones.</summary>
    static void ThreeFreeSlots(Kernel k)
    {
        var si = k.SwapDevice!;
        for (int i = 1; i <= si.Pages; i++)
        {
            Assert.Equal(i, k.Swap.GetSwapPage());
            si.SetMap(i, 1);
        }
        foreach (int slot in new[] { Lowest, Middle, Top })
            k.Swap.SwapEntryFree(slot, cacheReference: false);
        si.ClusterNext = 30;
        si.ClusterNr = 100;
        Assert.Equal((Lowest, Top, 3L), (si.LowestBit, si.HighestBit, k.Swap.NrSwapPages));
    }

    /// <summary>
    /// Starts a get_swap_page on another CPU at <paramref name="at"/> ns, as a new step would; a slot
    /// it takes then holds a page written out and gone from the swap cache.
    /// </summary>
    static int ScanAt(Kernel k, long at)
    {
        k.Scheduler.AdvanceTo(at);
        k.Cpu.StepNs = 0;
        int slot = k.Swap.GetSwapPage();
        if (slot != 0)
            k.SwapDevice!.SetMap(slot, 1);
        return slot;
    }

    [Fact]
    public void A_scan_that_starts_while_another_walks_to_the_top_slot_wraps_and_strands_the_slot_at_lowest_bit()
    {
        var k = Machine(unlocked: true);
        var si = k.SwapDevice!;
        ThreeFreeSlots(k);

        Assert.Equal(Top, ScanAt(k, 1_000)); // walks from 30 and takes the top slot: highest_bit 39
        // Began 1 ns later, so it read cluster_next 30 too; its walk meets highest_bit 39 and wraps.
        Assert.Equal(Middle, ScanAt(k, 1_001));
        Assert.Equal((Lowest, Top - 1, Middle + 1), (si.LowestBit, si.HighestBit, si.ClusterNext));

        long failures = k.Swap.ScanFailures;
        Assert.Equal(0, ScanAt(k, 1_000_000));
        Assert.Equal(0, ScanAt(k, 2_000_000));
        Assert.Equal(failures + 2, k.Swap.ScanFailures);
        Assert.Equal(1, k.Swap.NrSwapPages);
    }

    // Scans one at a time: after the top slot, cluster_next is past highest_bit and the next scan
    // starts over at lowest_bit. Scans that do not overlap in time behave the same. With the
    // lowest_bit fix, overlapping scans wrap around from lowest_bit itself.
    [Theory]
    [InlineData(false, true, 1_001)]
    [InlineData(true, true, 1_000_000)]
    [InlineData(true, false, 1_001)]
    public void Without_an_overlap_that_skips_lowest_bit_the_three_slots_are_taken_and_none_is_stranded(bool unlocked, bool skipLowestBit, long secondAt)
    {
        var k = Machine(unlocked, skipLowestBit);
        ThreeFreeSlots(k);

        Assert.Equal(Top, ScanAt(k, 1_000));
        Assert.Equal(Lowest, ScanAt(k, secondAt));
        Assert.Equal(Middle, ScanAt(k, 2_000_000));
        Assert.Equal(0, k.Swap.ScanFailures);
    }

    [Fact]
    public void A_failing_scan_holds_nr_swap_pages_at_zero_until_it_gives_up()
    {
        var k = Machine(unlocked: true);
        ThreeFreeSlots(k);
        ScanAt(k, 1_000);
        ScanAt(k, 1_001);

        Assert.Equal(0, ScanAt(k, 1_000_000)); // walks the map for the slot behind lowest_bit
        long walkEnds = k.Now + k.Cpu.StepNs;
        long walked = k.Swap.EntriesWalked;

        // Another CPU during that walk: get_swap_page sees no free slot and returns without scanning,
        // and get_scan_count would see none either.
        Assert.Equal(0, ScanAt(k, walkEnds - 1));
        Assert.Equal(0, k.Swap.NrSwapPages);
        Assert.Equal(walked, k.Swap.EntriesWalked);

        Assert.Equal(0, ScanAt(k, walkEnds));
        Assert.Equal(1, k.Swap.NrSwapPages);
        Assert.True(k.Swap.EntriesWalked > walked);
    }
}
