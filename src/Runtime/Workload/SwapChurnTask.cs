using Policyc.Runtime.Mm;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Workload;

/// <summary>
/// The last part of set-up: other processes touch some of their swapped-out memory again. Each
/// swap-in frees a slot at a random offset (swap is over half full, so the slot is freed at once)
/// and puts the page back on the anon LRU, from where reclaim swaps it out again through
/// scan_swap_map. This churn leaves lowest_bit, highest_bit and cluster_next where real use would.
/// </summary>
internal sealed class SwapChurnTask(Kernel k, Action done) : SimTask("swapin")
{
    long left = k.Scenario.SwapInChurnPages;
    AllocAttempt attempt;
    SwapFault fault;

    public override long Step(long now)
    {
        for (int n = 0; n < 16 && left > 0; n++)
        {
            int r = k.Processes.SwapInRandomPage(ref fault, ref attempt);
            if (r == PageAllocator.Wait)
                return attempt.WaitNs;
            if (r == PageAllocator.Failed)
                return 20_000_000;
            if (r == 0)
            {
                left = 0;
                break;
            }
            left--;
        }
        if (left > 0)
            return 1_000_000; // the processes touch their memory over time, not all at once
        done();
        return Exited;
    }
}
