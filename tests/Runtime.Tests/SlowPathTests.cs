using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Tests;

/// <summary>__alloc_pages_slowpath's bookkeeping across the retries of one allocation.</summary>
public class SlowPathTests
{
    [Fact]
    public void The_slow_path_wakes_kswapd_once_per_allocation_not_on_each_retry()
    {
        // __alloc_pages_slowpath wakes the kswapds at `restart:`; should_alloc_retry sends a retry
        // to `rebalance:`, past the wake-up. Nothing here is free or reclaimable, so an order-1
        // GFP_NOFS request retries for ever (order <= PAGE_ALLOC_COSTLY_ORDER).
        int asked = 0;
        var k = TestMachine.Kernel(change: b => b.Set(HookId.GfpWakeKswapd, (PolicyHook<bool>)((in HookContext c) =>
        {
            asked++;
            return true;
        })));
        foreach (var zone in k.Zones)
            TestMachine.TakeAll(k, zone, 0);

        var attempt = new AllocAttempt();
        for (int i = 0; i < 3; i++)
            Assert.Equal(PageAllocator.Wait, k.PageAlloc.AllocPages(GfpMasks.GFP_NOFS, 1, PageState.Kernel, -1, ref attempt));

        Assert.Equal(3, attempt.Retries);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void Should_retry_sees_the_pages_reclaimed_summed_over_the_allocations_retries()
    {
        // should_alloc_retry's pages_reclaimed (request.total_reclaimed) is the sum of every pass's
        // did_some_progress, which __GFP_REPEAT compares with 1 << order. Here memory is full but for
        // clean page cache on every other page, so reclaim frees pages that never merge into the
        // order-1 block asked for; the rule lets three passes retry.
        var seen = new List<(long Reclaimed, long Total)>();
        var k = TestMachine.Kernel(TestMachine.Tiny(swap: "0"), b => b.Set(HookId.GfpShouldRetry, (PolicyHook<bool>)((in HookContext c) =>
        {
            seen.Add((c.Request.Reclaimed, c.Request.TotalReclaimed));
            return seen.Count < 3;
        })));
        foreach (var zone in k.Zones)
            foreach (int pfn in TestMachine.TakeAll(k, zone, 0).Where(p => p % 2 == 0))
            {
                k.Frames.State[pfn] = PageState.File;
                zone.Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
            }

        var attempt = new AllocAttempt();
        int result;
        while ((result = k.PageAlloc.AllocPages(GfpMasks.GFP_KERNEL, 1, PageState.Kernel, -1, ref attempt)) == PageAllocator.Wait)
        {
        }

        Assert.Equal(PageAllocator.Failed, result);
        Assert.Equal(3, seen.Count);
        Assert.All(seen, s => Assert.True(s.Reclaimed > 0));
        Assert.Equal(seen.Select((s, i) => seen.Take(i + 1).Sum(x => x.Reclaimed)), seen.Select(s => s.Total));
    }
}
