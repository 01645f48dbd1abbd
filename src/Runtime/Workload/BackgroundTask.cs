using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Workload;

/// <summary>
/// The rest of the kernel's life: interrupts, timers and network receive make small GFP_ATOMIC
/// allocations all the time. They never reclaim, but one that finds free memory below the LOW
/// watermark enters the slow path and wakes kswapd — which is how kswapd learns of pressure that
/// only looping GFP_NOFS allocations (which do not wake it again) would otherwise see.
/// </summary>
internal sealed class BackgroundTask(Kernel k) : Sim.SimTask("softirq")
{
    /// <summary>One atomic allocation every 10 ms.</summary>
    const long Period = 10_000_000;
    AllocAttempt attempt;

    public override long Step(long now)
    {
        int pfn = k.PageAlloc.AllocPages(GfpMasks.GFP_ATOMIC, 0, PageState.Kernel, -1, ref attempt);
        if (pfn >= 0)
            k.PageAlloc.FreePages(pfn, 0);
        attempt.Reset();
        return Period;
    }
}
