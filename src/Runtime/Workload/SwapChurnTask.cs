using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
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

    public override long Step(long now)
    {
        for (int n = 0; n < 16 && left > 0; n++)
        {
            int slot = k.Swap.RandomSwappedSlot(k.Rng);
            if (slot == 0)
            {
                left = 0;
                break;
            }
            int owner = k.SwapDevice!.SlotOwner[slot];
            int pfn = k.PageAlloc.AllocPages(GfpMasks.GFP_HIGHUSER_MOVABLE, 0, PageState.Anon, owner, ref attempt);
            if (pfn == PageAllocator.Wait)
                return attempt.WaitNs;
            if (pfn < 0)
                return 20_000_000;
            k.Swap.SwapIn(slot, pfn);
            k.Frames.Flags[pfn] |= PageFlags.Active;
            k.ZoneOf(pfn).Lrus[(int)Lru.ActiveAnon].AddHead(k.Frames, pfn);
            if (owner >= 0 && owner < Processes.Count)
                k.Processes.Rss[owner]++;
            left--;
        }
        if (left > 0)
            return 1_000_000; // the processes touch their memory over time, not all at once
        done();
        return Exited;
    }
}
