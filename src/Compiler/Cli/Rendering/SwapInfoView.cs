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
        string first = swap.FirstFreeSlot switch
        {
            null => "",
            int slot when slot == swap.LowestBit && swap.FreeSlots == 1 => $"; the one free slot is {Units.Integer(slot)}, at lowest_bit",
            int slot => $"; the lowest free slot is {Units.Integer(slot)}",
        };
        string scans = swap.ScanCalls == 0
            ? "scan_swap_map: not called"
            : $"scan_swap_map: {Units.Integer(swap.ScanCalls)} calls, {Units.Integer(swap.ScanFailures)} found no slot, "
              + $"{Units.Count(swap.EntriesWalked)} swap_map entries walked ({Units.Integer(swap.EntriesWalked / swap.ScanCalls)} a call)";
        return new Text(
            $"swap_info: {Units.Integer(swap.FreeSlots)} slot{(swap.FreeSlots == 1 ? "" : "s")} free, nr_swap_pages {Units.Integer(swap.NrSwapPages)}; "
            + $"lowest_bit {Units.Integer(swap.LowestBit)}, highest_bit {Units.Integer(swap.HighestBit)}, cluster_next {Units.Integer(swap.ClusterNext)}{first}\n"
            + scans + "\n");
    }
}
