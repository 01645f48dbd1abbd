using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;
using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Workload;

/// <summary>
/// `echo N > /proc/sys/vm/drop_caches` (fs/drop_caches.c): 1 drops clean unmapped page cache,
/// 2 runs drop_slab — shrink_slab with GFP_KERNEL until a pass frees 10 objects or fewer — and 3 both.
/// </summary>
internal sealed class DropCachesTask(Kernel k, int mode, Action<long, string, string> record) : SimTask($"echo {mode} > drop_caches")
{
    readonly ScanState sc = new();
    long pages, objects, slabPages, startedAt;
    bool started;
    /// <summary>When the drop first went to sleep on a log force; the timeline notes that and its first wake-up.</summary>
    long? asleepSince;
    bool wakeNoted;

    /// <summary>
    /// For a drop still asleep when the run ends (in XFS inode reclaim, waiting for a log force): what
    /// the timeline should say, at the time the operator wrote the file; null if it never started or finished.
    /// </summary>
    public (long At, string Detail)? Unfinished => started && !Finished
        ? (startedAt, $"drop_caches {mode}: still asleep at the end of the run (XFS inode reclaim waiting for a log force); {objects} slab objects and {pages} page-cache pages freed so far")
        : null;

    public override long Step(long now)
    {
        if (!started)
        {
            started = true;
            startedAt = now;
            if ((mode & 1) != 0)
                pages = DropPagecache();
        }
        else if (asleepSince is long since && !wakeNoted)
        {
            // Woken: the CIL push that the log force waited for has run, so the looping commits let go.
            wakeNoted = true;
            record(now, "note", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"drop_caches {mode} woken {(now - since) / 1e6:F0} ms later: the CIL push ran"));
        }
        if ((mode & 2) != 0)
        {
            long freed;
            do
            {
                sc.Reset(GfpMasks.GFP_KERNEL, 0, Reclaim.SwapClusterMax, isKswapd: false);
                sc.IsDropCaches = true;
                long before = k.Shrinkers.ObjectsFreed;
                slabPages += k.Shrinkers.ShrinkSlab(sc, 1000, 1000, 0, NodeMask.All(k.Nodes.Length)); // drop_slab: nodes_setall
                freed = k.Shrinkers.ObjectsFreed - before;
                objects += freed;
                k.Counters.SlabObjectsFreedByDropCaches += freed;
                if (k.Scheduler.CurrentBlocked)
                {
                    // Asleep in XFS inode reclaim on a log force; drop_slab's loop goes on when woken.
                    // Whether it is woken turns on what it freed first: the log force waits for the
                    // CIL push, and the push for the commits looping in kmem_alloc.
                    if (asleepSince is null)
                    {
                        asleepSince = now;
                        record(now, "note", $"drop_caches {mode} asleep in XFS inode reclaim on a log force, after freeing {objects} slab objects ({slabPages} slab pages){LoopingCommitsTest(now)}");
                    }
                    k.Cpu.Charge(Symbol.DropSlab, 1_000);
                    return Blocked;
                }
            } while (freed > 10);
        }
        k.Cpu.Charge(Symbol.DropSlab, 1_000);
        // The event is when the operator wrote the file; what it freed is known when the write returns.
        record(startedAt, "operator", $"drop_caches {mode}: {objects} slab objects and {pages} page-cache pages freed");
        return Exited;
    }

    /// <summary>
    /// How far what the drop freed goes towards the looping commits. The log force it sleeps on waits
    /// for the CIL push, and the push for every commit holding xc_ctx_lock, each looping in kmem_alloc
    /// on a request of the highest order that failed in the last second. The drop is woken once each
    /// has its block: this counts the commits, and how many times in a row free memory now passes
    /// that order's MIN test, zone by zone, each pass taking a block as the buddy allocator would.
    /// (Each commit that gets through also frees its old log vector, which may merge into one more.)
    /// </summary>
    string LoopingCommitsTest(long now)
    {
        int order = (int)k.PageAlloc.FailingOrder(now);
        if (order <= 0)
            return "";
        var room = new List<string>();
        long total = 0;
        foreach (var zone in k.Zones)
        {
            long passes = Watermarks.AllocationsPassing(zone.FreePages, zone.NrFree, zone.MinWmark, order, zone.ReserveAgainst(k.HighZoneIdx));
            if (passes > 0)
                room.Add($"{(k.Nodes.Length > 1 ? $"node {zone.NodeId} " : "")}{zone.Name} {passes}");
            total += passes;
        }
        int commits = k.Xfs.Cil.CommitsInProgress;
        string where = room.Count > 0 ? $" ({string.Join(", ", room)})" : "";
        return $"; the log force waits for the CIL push, the push for {commits} commit{(commits == 1 ? "" : "s")} looping in kmem_alloc, and free memory passes the order-{order} MIN test {total} time{(total == 1 ? "" : "s")}{where}";
    }

    /// <summary>drop_pagecache_sb → invalidate_mapping_pages: clean, unmapped page cache (hot pages are mapped and stay).</summary>
    long DropPagecache()
    {
        long freed = 0;
        var f = k.Frames;
        foreach (var zone in k.Zones)
            for (int l = (int)Lru.InactiveFile; l <= (int)Lru.ActiveFile; l++)
            {
                int pfn = zone.Lrus[l].Head;
                while (pfn >= 0)
                {
                    int next = f.Next[pfn];
                    if ((f.Flags[pfn] & PageFlags.Hot) == 0)
                    {
                        zone.Lrus[l].Remove(f, pfn);
                        k.PageAlloc.FreePage(pfn, cold: false);
                        freed++;
                    }
                    pfn = next;
                }
            }
        return freed;
    }
}
