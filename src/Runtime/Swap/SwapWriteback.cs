using Policyc.Runtime.Mm;

namespace Policyc.Runtime.Swap;

/// <summary>
/// Swap writes in flight, with the scenario's <c>swap-write-latency</c>. pageout starts one
/// (swap_writepage) and leaves the page under writeback: unmapped, in the swap cache holding its
/// slot, back on its inactive list, where reclaim passes over it. end_page_writeback clears
/// PG_writeback and, the write having been reclaim's (PG_reclaim), rotate_reclaimable_page moves the
/// page to the tail of the list, where the next scan frees it as a clean swap-cache page.
/// Every write takes the same time, so writes end in the order they started. They are ended when
/// something is about to look at the pages (a reclaim scan, compaction, an exit), which gives the
/// lists the same order as ending each at its moment would: nothing else adds at a list's tail.
/// </summary>
internal sealed class SwapWriteback(Kernel k)
{
    readonly Queue<(long Ends, int Pfn)> inFlight = new();

    /// <summary>NR_WRITEBACK: pages whose write has not ended.</summary>
    public long Pages => inFlight.Count;

    /// <summary>Writes started, and writes ended (each page going to the tail of its list).</summary>
    public long Started, Rotated;

    /// <summary>
    /// swap_writepage for a page reclaim has just added to the swap cache and unmapped. Nothing
    /// frees or moves the page until the write ends: reclaim keeps it, compaction does not
    /// isolate it, an exiting process no longer maps it.
    /// </summary>
    public void Start(int pfn)
    {
        k.Frames.Flags[pfn] |= PageFlags.Writeback;
        // A latency past the end of simulated time is a write that never ends, not one that wraps around.
        long clock = k.StepClock, latency = k.Scenario.SwapWriteLatency;
        inFlight.Enqueue((latency > long.MaxValue - clock ? long.MaxValue : clock + latency, pfn));
        Started++;
    }

    /// <summary>end_page_writeback for every write due by the moment the running step has reached.</summary>
    public void EndDue()
    {
        long now = k.StepClock;
        while (inFlight.TryPeek(out var write) && write.Ends <= now)
        {
            inFlight.Dequeue();
            End(write.Pfn);
        }
    }

    void End(int pfn)
    {
        var f = k.Frames;
        f.Flags[pfn] &= ~PageFlags.Writeback;
        // rotate_reclaimable_page: to the tail of the inactive list, the next page reclaim takes. A
        // page under writeback is never activated (reclaim keeps it where it was), so it is there.
        // Nor is it isolated: writes are ended only where no reclaim pass holds pages off their lists.
        ref var list = ref k.ZoneOf(pfn).Lrus[(int)Lru.InactiveAnon];
        list.Remove(f, pfn);
        list.AddTail(f, pfn);
        Rotated++;
    }
}
