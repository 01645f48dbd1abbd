using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// The swap device's swap_info_struct and what scan_swap_map did over the window, in two lines under
/// `free`. This is where the report's CPU burn is decided: anon reclaim reaches scan_swap_map only
/// while nr_swap_pages is above zero, and a free slot the scan cannot find makes every call walk the
/// whole map and fail.
/// </summary>
public static class SwapInfoView
{
    public static IRenderable Render(SwapReport swap)
    {
        string first = swap.FirstFreeSlot is int slot ? $"; lowest free slot {Units.Integer(slot)}" : "";
        string stranded = Stranded(swap)
            ? $"the one free slot is lowest_bit, below cluster_next: 3.13's wrap-around scan never looks at it\n"
            : "";
        string scans = swap.ScanCalls == 0
            ? "scan_swap_map: not called"
            : $"scan_swap_map: {Units.Integer(swap.ScanCalls)} calls, {Units.Integer(swap.ScanFailures)} found no slot, "
              + $"{Units.Count(swap.EntriesWalked)} swap_map entries walked ({Units.Integer(swap.EntriesWalked / swap.ScanCalls)} a call)";
        if (swap.SwapCacheHits > 0)
            scans += $"; {Units.Integer(swap.SwapCacheHits)} swap-in{(swap.SwapCacheHits == 1 ? "" : "s")} found the page in the swap cache";
        return new Text(
            $"swap_info: {Units.Integer(swap.FreeSlots)} slot{(swap.FreeSlots == 1 ? "" : "s")} free, nr_swap_pages {Units.Integer(swap.NrSwapPages)}; "
            + $"lowest_bit {Units.Integer(swap.LowestBit)}, highest_bit {Units.Integer(swap.HighestBit)}, cluster_next {Units.Integer(swap.ClusterNext)}{first}\n"
            + stranded + scans + "\n");
    }

    /// <summary>
    /// The state a5998061daab fixed: the only free slot is lowest_bit, and a scan starting at
    /// cluster_next (above it, up to highest_bit) walks forward to highest_bit, then wraps to
    /// lowest_bit + 1: it never looks at the slot. With cluster_next above highest_bit the scan
    /// would start at lowest_bit and find it.
    /// </summary>
    static bool Stranded(SwapReport swap) =>
        swap.FreeSlots == 1 && swap.FirstFreeSlot == swap.LowestBit
        && swap.LowestBit < swap.ClusterNext && swap.ClusterNext <= swap.HighestBit;
}
