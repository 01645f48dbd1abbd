using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Workload;

/// <summary>
/// The first part of set-up: the other processes fault in their anonymous memory while files are
/// read into the page cache, interleaved at random, all through the page allocator (so once memory
/// is full, kswapd and direct reclaim push anon to swap and drop cache as they would).
/// </summary>
internal sealed class BootTask(Kernel k, Action done) : Sim.SimTask("init")
{
    readonly long anonPages = k.Scenario.OtherAnonBytes / PolicyTypes.PageSize;
    readonly long cachePages = k.Scenario.AgingPageCacheBytes / PolicyTypes.PageSize;
    readonly long hotPages = k.Scenario.HotPageCacheBytes / PolicyTypes.PageSize;
    long anonDone, cacheDone, hotDone;
    AllocAttempt attempt;

    public override long Step(long now)
    {
        for (int n = 0; n < 256; n++)
        {
            long left = anonPages - anonDone + cachePages - cacheDone + hotPages - hotDone;
            if (left == 0)
            {
                done();
                return Exited;
            }
            long pick = k.Rng.Next(left);
            int r;
            if (pick < anonPages - anonDone)
            {
                r = k.Processes.FaultAnon((int)(anonDone % Processes.Count), ref attempt);
                if (r >= 0)
                    anonDone++;
            }
            else if (pick < anonPages - anonDone + hotPages - hotDone)
            {
                r = k.Processes.ReadPageCache(hot: true, ref attempt);
                if (r >= 0)
                    hotDone++;
            }
            else
            {
                r = k.Processes.ReadPageCache(hot: false, ref attempt);
                if (r >= 0)
                    cacheDone++;
            }
            if (r == PageAllocator.Wait)
                return attempt.WaitNs;
            if (r < 0)
                return 20_000_000;
        }
        return 0;
    }
}
