using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Vmscan;

/// <summary>
/// A registered shrinker (struct shrinker): count_objects and scan_objects. A shrinker that is not
/// NUMA aware is called for node 0 only and counts its whole cache there.
/// </summary>
internal interface IShrinker
{
    string Name { get; }
    /// <summary>SHRINKER_NUMA_AWARE: counted, scanned and deferred node by node.</summary>
    bool NumaAware => false;
    /// <summary>count_objects for shrink_control.nid: freeable objects, already scaled by vfs_cache_pressure where the kernel does.</summary>
    long CountObjects(int nid);
    /// <summary>scan_objects for shrink_control.nid: scan <paramref name="nrToScan"/> objects; returns objects freed.</summary>
    long ScanObjects(long nrToScan, int nid);
}

/// <summary>
/// shrink_slab / shrink_slab_node of Linux 3.13 (mm/vmscan.c): per shrinker and per node to scan,
/// the new work proportional to the LRU pages scanned, plus the node's nr_deferred left by callers
/// that could not do theirs, scanned in batches. What a shrinker does with a call (run, defer, skip), its batch, its
/// seeks and whether a remainder below one batch is scanned are the policy's shrinker rules.
/// </summary>
internal sealed class ShrinkerSet(Kernel k)
{
    sealed class Registered(IShrinker shrinker, ShrinkerRules rules, int nodes)
    {
        public readonly IShrinker Shrinker = shrinker;
        public readonly ShrinkerRules Rules = rules;
        /// <summary>nr_deferred[nid]; a shrinker that is not NUMA aware uses node 0's only.</summary>
        public readonly long[] NrDeferred = new long[nodes];

        public long TotalDeferred
        {
            get
            {
                long d = 0;
                foreach (var n in NrDeferred)
                    d += n;
                return d;
            }
        }
    }

    readonly List<Registered> shrinkers = [];

    public void Register(IShrinker shrinker) =>
        shrinkers.Add(new Registered(shrinker, k.Policy.ResolveShrinker(shrinker.Name), k.Nodes.Length));

    public long TotalDeferred
    {
        get
        {
            long d = 0;
            foreach (var s in shrinkers)
                d += s.TotalDeferred;
            return d;
        }
    }

    /// <summary>Work deferred on one node: what that node's kswapd would take.</summary>
    public long DeferredOn(int nid)
    {
        long d = 0;
        foreach (var s in shrinkers)
            d += s.NrDeferred[nid];
        return d;
    }

    public IEnumerable<(string Name, long Deferred)> Deferred => shrinkers.Select(s => (s.Shrinker.Name, s.TotalDeferred));

    /// <summary>Objects freed by shrinkers on behalf of kswapd, drop_caches and direct reclaim (for the report).</summary>
    public long ObjectsFreed;

    /// <summary>
    /// shrink_slab: returns the pages freed (reclaim_state->reclaimed_slab). The caller's scan control
    /// supplies the gfp mask, which shrinkers see as the reclaim context; <paramref name="nodes"/> is
    /// nodes_to_scan. Every node is asked with the same pages scanned and LRU size, as 3.13 does; a
    /// shrinker that is not NUMA aware runs only if node 0 comes first in the mask.
    /// </summary>
    public long ShrinkSlab(ScanState sc, long nrPagesScanned, long lruPages, long size, NodeMask nodes)
    {
        long pagesBefore = k.Slab.TotalPages;
        long freedObjects = 0;
        // A caller that scanned nothing (kswapd on a zone with empty lists) still asks for a cluster's worth.
        if (nrPagesScanned == 0)
            nrPagesScanned = Reclaim.SwapClusterMax;
        foreach (var s in shrinkers)
        {
            for (int nid = 0; nid < k.Nodes.Length; nid++)
            {
                if (!nodes.Contains(nid))
                    continue;
                if (!s.Shrinker.NumaAware && nid != 0)
                    break;
                freedObjects += ShrinkSlabNode(s, sc, nrPagesScanned, lruPages, size, nid);
                if (k.Scheduler.CurrentBlocked)
                    break;
            }
            if (k.Scheduler.CurrentBlocked)
                break; // asleep inside a shrinker (a log force): the rest of shrink_slab waits with it
        }
        if (sc.IsKswapd)
            k.Counters.KswapdSlabObjectsFreed += freedObjects;
        ObjectsFreed += freedObjects;
        k.Rcu.RunDue(); // RCU callbacks due by now: their pages count as this caller's reclaimed_slab
        return Math.Max(0, pagesBefore - k.Slab.TotalPages);
    }

    long ShrinkSlabNode(Registered s, ScanState sc, long nrPagesScanned, long lruPages, long size, int nid)
    {
        k.Cpu.Charge(Symbol.ShrinkSlab, k.Scenario.CostShrinkerCallNs);
        long freeable = s.Shrinker.CountObjects(nid);
        if (freeable == 0)
            return 0;

        k.FillCommon();
        k.FillRequest(sc.Gfp, sc.Order, size, sc.IsKswapd);
        k.Ctx.Scan = sc.ToContext();
        k.Ctx.Shrinker = new ShrinkerState
        {
            Freeable = freeable,
            Deferred = s.NrDeferred[nid],
            NrScanned = nrPagesScanned,
            LruPages = lruPages,
        };
        long seeks = Math.Max(1, s.Rules.Seeks(in k.Ctx));
        long batch = Math.Max(1, s.Rules.Batch(in k.Ctx));

        long nr = s.NrDeferred[nid];
        long delta;
        if (s.Rules.ScanByPriority(in k.Ctx))
        {
            // 4.16 (9092c71bb724): the pressure is the reclaim priority's share of the cache, whatever
            // the LRUs hold; drop_slab passes priority 0, the whole cache.
            int priority = sc.IsDropCaches ? 0 : Math.Clamp(sc.Priority, 0, 62);
            delta = (freeable >> priority) * 4 / seeks;
        }
        else
        {
            // 3.13: the slab work follows the LRU work, the pages scanned over the LRU pages there
            // are (which count anon while a swap slot is free).
            delta = 4 * nrPagesScanned / seeks;
            delta = (long)((Int128)delta * freeable / (lruPages + 1));
        }
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
        s.NrDeferred[nid] = 0; // atomic_long_xchg(&shrinker->nr_deferred[nid], 0)

        long freed = 0;
        if (action == ShrinkAction.Run)
        {
            while (totalScan >= batch || (belowBatch && totalScan > 0 && totalScan >= freeable))
            {
                long n = Math.Min(batch, totalScan);
                long scanned = Math.Min(n, s.Shrinker.CountObjects(nid));
                k.Counters.Count(VmEvent.SlabsScanned, n);
                if (sc.IsKswapd)
                    k.Counters.KswapdSlabObjectsScanned += n;
                freed += s.Shrinker.ScanObjects(n, nid);
                k.Cpu.Charge(Symbol.ShrinkSlab, scanned * k.Scenario.CostSlabObjectNs);
                totalScan -= n;
                if (k.Scheduler.CurrentBlocked)
                    break;
                if (scanned == 0)
                {
                    // The cache is empty. 3.13 does not count it again: it goes on calling scan_objects,
                    // which finds nothing, batch after batch, so only what is left below the loop's
                    // condition is deferred. The empty calls are counted here, not made.
                    long skipped = EmptyBatches(totalScan, batch, belowBatch, freeable);
                    k.Counters.Count(VmEvent.SlabsScanned, skipped);
                    if (sc.IsKswapd)
                        k.Counters.KswapdSlabObjectsScanned += skipped;
                    totalScan -= skipped;
                    break;
                }
            }
        }
        // SHRINK_STOP (defer) leaves all of it; a run leaves what was below a batch.
        if (totalScan > 0)
            s.NrDeferred[nid] += totalScan;
        return freed;
    }

    /// <summary>
    /// What the rest of the batch loop would scan from <paramref name="totalScan"/>: whole batches
    /// while a batch is left, then, with <paramref name="belowBatch"/>, the remainder if it is the
    /// whole cache as first counted.
    /// </summary>
    internal static long EmptyBatches(long totalScan, long batch, bool belowBatch, long freeable)
    {
        long scanned = totalScan - totalScan % batch;
        long left = totalScan - scanned;
        if (belowBatch && left > 0 && left >= freeable)
            scanned += left;
        return scanned;
    }
}
