using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Vmscan;

/// <summary>A registered shrinker (struct shrinker): count_objects and scan_objects.</summary>
internal interface IShrinker
{
    string Name { get; }
    /// <summary>count_objects: freeable objects, already scaled by vfs_cache_pressure where the kernel does.</summary>
    long CountObjects();
    /// <summary>scan_objects: scan <paramref name="nrToScan"/> objects; returns objects freed.</summary>
    long ScanObjects(long nrToScan);
}

/// <summary>
/// shrink_slab / shrink_slab_node of Linux 3.13 (mm/vmscan.c): per shrinker, the new work
/// proportional to the LRU pages scanned, plus the nr_deferred left by callers that could not do
/// theirs, scanned in batches. What a shrinker does with a call (run, defer, skip), its batch, its
/// seeks and whether a remainder below one batch is scanned are the policy's shrinker rules.
/// </summary>
internal sealed class ShrinkerSet(Kernel k)
{
    sealed class Registered(IShrinker shrinker, ShrinkerRules rules)
    {
        public readonly IShrinker Shrinker = shrinker;
        public readonly ShrinkerRules Rules = rules;
        public long NrDeferred;
    }

    readonly List<Registered> shrinkers = [];

    public void Register(IShrinker shrinker) => shrinkers.Add(new Registered(shrinker, k.Policy.ResolveShrinker(shrinker.Name)));

    public long TotalDeferred
    {
        get
        {
            long d = 0;
            foreach (var s in shrinkers)
                d += s.NrDeferred;
            return d;
        }
    }

    public IEnumerable<(string Name, long Deferred)> Deferred => shrinkers.Select(s => (s.Shrinker.Name, s.NrDeferred));

    /// <summary>Objects freed by shrinkers on behalf of kswapd, drop_caches and direct reclaim (for the report).</summary>
    public long ObjectsFreed;

    /// <summary>
    /// shrink_slab: returns the pages freed (reclaim_state->reclaimed_slab). The caller's scan control
    /// supplies the gfp mask, which shrinkers see as the reclaim context.
    /// </summary>
    public long ShrinkSlab(ScanState sc, long nrPagesScanned, long lruPages, long size)
    {
        long pagesBefore = k.Slab.TotalPages;
        long freedObjects = 0;
        // A caller that scanned nothing (kswapd on a zone with empty lists) still asks for a cluster's worth.
        if (nrPagesScanned == 0)
            nrPagesScanned = Reclaim.SwapClusterMax;
        foreach (var s in shrinkers)
        {
            freedObjects += ShrinkSlabNode(s, sc, nrPagesScanned, lruPages, size);
            if (k.Scheduler.CurrentBlocked)
                break; // asleep inside a shrinker (a log force): the rest of shrink_slab waits with it
        }
        if (sc.IsKswapd)
            k.Counters.KswapdSlabObjectsFreed += freedObjects;
        ObjectsFreed += freedObjects;
        return Math.Max(0, pagesBefore - k.Slab.TotalPages);
    }

    long ShrinkSlabNode(Registered s, ScanState sc, long nrPagesScanned, long lruPages, long size)
    {
        k.Cpu.Charge(Symbol.ShrinkSlab, k.Scenario.CostShrinkerCallNs);
        long freeable = s.Shrinker.CountObjects();
        if (freeable == 0)
            return 0;

        k.FillCommon();
        k.FillRequest(sc.Gfp, sc.Order, size, sc.IsKswapd);
        k.Ctx.Scan = sc.ToContext();
        k.Ctx.Shrinker = new ShrinkerState
        {
            Freeable = freeable,
            Deferred = s.NrDeferred,
            NrScanned = nrPagesScanned,
            LruPages = lruPages,
        };
        long seeks = Math.Max(1, s.Rules.Seeks(in k.Ctx));
        long batch = Math.Max(1, s.Rules.Batch(in k.Ctx));

        long nr = s.NrDeferred;
        long delta = 4 * nrPagesScanned / seeks;
        delta = (long)((Int128)delta * freeable / (lruPages + 1));
        long totalScan = nr + delta;
        if (totalScan < 0)
            totalScan = freeable;
        // Avoid draining the cache on light pressure: cap at half the cache when the new work is small.
        if (delta < freeable / 4)
            totalScan = Math.Min(totalScan, freeable / 2);
        if (totalScan > freeable * 2)
            totalScan = freeable * 2;
        k.Ctx.Shrinker.Delta = delta;
        k.Ctx.Shrinker.TotalScan = totalScan;

        var action = s.Rules.Action(in k.Ctx);
        if (action == ShrinkAction.Skip)
            return 0;
        bool belowBatch = s.Rules.ScanBelowBatch(in k.Ctx);
        s.NrDeferred = 0; // atomic_long_xchg(&shrinker->nr_deferred[nid], 0)

        long freed = 0;
        if (action == ShrinkAction.Run)
        {
            while (totalScan >= batch || (belowBatch && totalScan > 0 && totalScan >= freeable))
            {
                long n = Math.Min(batch, totalScan);
                long scanned = Math.Min(n, s.Shrinker.CountObjects());
                freed += s.Shrinker.ScanObjects(n);
                k.Cpu.Charge(Symbol.ShrinkSlab, scanned * k.Scenario.CostSlabObjectNs);
                totalScan -= n;
                if (scanned == 0 || k.Scheduler.CurrentBlocked)
                    break;
            }
        }
        // SHRINK_STOP (defer) leaves all of it; a run leaves what was below a batch.
        if (totalScan > 0)
            s.NrDeferred += totalScan;
        return freed;
    }
}
