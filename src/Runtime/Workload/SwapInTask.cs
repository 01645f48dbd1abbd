using Policyc.Runtime.Mm;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Workload;

/// <summary>
/// The rest of the machine while the rm runs: other processes touch a swapped-out page now and then
/// (the scenario's swap-in-rate a second). Each swap-in takes a frame, and while swap is over half
/// full frees its slot at once. With swap otherwise full, a slot freed below cluster_next becomes
/// lowest_bit, where 3.13's wrap-around scan never looks: get_swap_page then sees a free slot that
/// scan_swap_map cannot find.
/// </summary>
internal sealed class SwapInTask(Kernel k, Func<bool> workloadRunning) : SimTask("swapin")
{
    readonly long interval = 1_000_000_000 / Math.Max(1, k.Scenario.SwapInPerSecond);
    AllocAttempt attempt;
    SwapFault fault;

    public override long Step(long now)
    {
        if (!workloadRunning())
            return Exited;
        int r = k.Processes.SwapInRandomPage(ref fault, ref attempt);
        if (r == PageAllocator.Wait)
            return attempt.WaitNs;
        return r == PageAllocator.Failed ? 20_000_000 : interval;
    }
}
