using Policyc.Runtime.Mm;
using Policyc.Runtime.Swap;

namespace Policyc.Runtime;

/// <summary>
/// Consistency checks of the whole machine (the --check-invariants mode and the tests): every frame
/// in exactly one state and on the right list, free counts matching the free lists, slab pages and
/// objects matching the slabs, the swap map matching its counters and the pages in the swap cache,
/// and every page of memory accounted for.
/// </summary>
internal static class Invariants
{
    public static void Check(Kernel k)
    {
        var f = k.Frames;
        var seen = new byte[f.Count];
        long free = 0, pcpPages = 0, lru = 0, slabPages = 0, kernelPages = 0, reserved = 0, writeback = 0;
        foreach (var zone in k.Zones)
        {
            long zoneFree = 0;
            for (int o = 0; o < Zone.MaxOrder; o++)
            {
                long blocks = 0;
                for (int t = 0; t < Zone.MigrateTypes; t++)
                for (int pfn = zone.FreeList(o, (MigrateType)t).Head; pfn >= 0; pfn = f.Next[pfn])
                {
                    Require(f.State[pfn] == PageState.FreeHead && f.Order[pfn] == o && f.Owner[pfn] == t,
                        $"free_area[{o}][{(MigrateType)t}] of {zone.Name} holds pfn {pfn} in state {f.State[pfn]} order {f.Order[pfn]} type {f.Owner[pfn]}");
                    Require((pfn & ((1 << o) - 1)) == 0, $"free block at pfn {pfn} is not aligned to its order {o}");
                    for (int p = pfn; p < pfn + (1 << o); p++)
                    {
                        Require(zone.Contains(p), $"free block at {pfn} order {o} leaves zone {zone.Name}");
                        Require(p == pfn || f.State[p] == PageState.FreeTail, $"pfn {p} inside free block {pfn} is {f.State[p]}");
                        Require(seen[p]++ == 0, $"pfn {p} is in two free blocks");
                    }
                    blocks++;
                }
                Require(blocks == zone.NrFree[o], $"{zone.Name} nr_free[{o}] = {zone.NrFree[o]} but the list holds {blocks}");
                zoneFree += blocks << o;
            }
            Require(zoneFree == zone.FreePages, $"{zone.Name} NR_FREE_PAGES = {zone.FreePages} but the free lists hold {zoneFree}");
            free += zoneFree;
            if (zone.Pcp is { } pcp)
                pcpPages += pcp.CheckLists(f, zone, seen, Require);
            for (int l = 0; l < 4; l++)
            {
                long n = 0;
                var want = ((Lru)l).IsFile() ? PageState.File : PageState.Anon;
                for (int pfn = zone.Lrus[l].Head; pfn >= 0; pfn = f.Next[pfn])
                {
                    Require(f.State[pfn] == want, $"LRU {(Lru)l} of {zone.Name} holds pfn {pfn} in state {f.State[pfn]}");
                    Require(((f.Flags[pfn] & PageFlags.Active) != 0) == ((Lru)l).IsActive(), $"pfn {pfn} on {(Lru)l} has the wrong PG_active");
                    Require(zone.Contains(pfn), $"pfn {pfn} is on an LRU of zone {zone.Name} it is not in");
                    Require(seen[pfn]++ == 0, $"pfn {pfn} is on two lists");
                    Require((f.Flags[pfn] & PageFlags.Unmapped) == 0 || (f.Flags[pfn] & PageFlags.SwapCache) != 0,
                        $"pfn {pfn} on {(Lru)l} is mapped by no pte and in no swap cache: nothing refers to it");
                    if ((f.Flags[pfn] & PageFlags.Writeback) != 0)
                    {
                        // Reclaim unmapped it; only a fault that finds it in the swap cache maps it again.
                        var mustHave = k.Scenario.SwapCacheFaults ? PageFlags.SwapCache : PageFlags.SwapCache | PageFlags.Unmapped;
                        Require((Lru)l == Lru.InactiveAnon && (f.Flags[pfn] & mustHave) == mustHave,
                            $"pfn {pfn} under writeback is on {(Lru)l} with flags {f.Flags[pfn]}, not an unmapped swap-cache page on the inactive anon list");
                        writeback++;
                    }
                    n++;
                }
                Require(n == zone.Lrus[l].Count, $"{zone.Name} {(Lru)l} count {zone.Lrus[l].Count} but the list holds {n}");
                lru += n;
            }
        }
        for (int pfn = 0; pfn < f.Count; pfn++)
        {
            switch (f.State[pfn])
            {
                case PageState.FreeHead or PageState.FreeTail:
                case PageState.PerCpu:
                case PageState.Anon or PageState.File:
                    Require(seen[pfn] == 1, $"pfn {pfn} in state {f.State[pfn]} is on no list");
                    break;
                case PageState.Slab: slabPages++; break;
                case PageState.Kernel: kernelPages++; break;
                case PageState.Reserved: reserved++; break;
            }
        }
        for (int p = 0; p < Workload.Processes.All; p++)
            Require(k.Processes.Rss[p] >= 0, $"process {p} has {k.Processes.Rss[p]} resident pages");
        Require(writeback == k.SwapWriteback.Pages, $"{k.SwapWriteback.Pages} swap writes in flight but {writeback} pages under writeback on the LRUs");
        Require(free + pcpPages + lru + slabPages + kernelPages + reserved == f.Count,
            $"pages do not add up: free {free} + per-cpu {pcpPages} + lru {lru} + slab {slabPages} + kernel {kernelPages} + reserved {reserved} != {f.Count}");
        Require(slabPages == k.Slab.TotalPages, $"slab caches account {k.Slab.TotalPages} pages but {slabPages} frames are slab");
        long held = k.Xfs.Cil.PagesHeld() + (k.Xfs.Buffers?.PagesHeld ?? 0);
        Require(kernelPages == held, $"{kernelPages} kernel frames but log vectors and buffers hold {held}");
        CheckSlabs(k);
        if (k.SwapDevice is { } swap)
            CheckSwap(k, swap);
    }

    static void CheckSlabs(Kernel k)
    {
        var objects = new long[k.Slab.Caches.Count];
        var active = new long[k.Slab.Caches.Count];
        var nodePartialFree = new long[k.Slab.Caches.Count];
        var reclaimablePages = new long[k.Nodes.Length];
        for (int id = 0; id < k.Slab.SlabCount; id++)
        {
            if (!k.Slab.IsLive(id))
                continue;
            var (first, order, inUse, capacity, cache) = k.Slab.Describe(id);
            Require(inUse >= 0 && inUse <= capacity, $"slab {id} has {inUse} of {capacity} objects in use");
            for (int p = first; p < first + (1 << order); p++)
                Require(k.Frames.State[p] == PageState.Slab && k.Frames.Owner[p] == id, $"slab {id} page {p} is {k.Frames.State[p]} owned by {k.Frames.Owner[p]}");
            objects[cache] += capacity;
            active[cache] += inUse;
            var (onNodePartial, onCpuPartial) = k.Slab.ListsOf(id);
            if (onNodePartial)
                nodePartialFree[cache] += capacity - inUse;
            Require(!onCpuPartial || !onNodePartial && k.Slab.FrozenBy(id) >= 0, $"slab {id} is on a CPU's partial list but on a node's too or not frozen");
            if (k.Slab.Caches[cache].Reclaimable)
                reclaimablePages[k.NodeOf(first)] += 1L << order;
        }
        foreach (var c in k.Slab.Caches)
        {
            Require(objects[c.Id] == c.Objects, $"{c.Name}: {c.Objects} objects counted, slabs hold {objects[c.Id]}");
            Require(active[c.Id] == c.ActiveObjects, $"{c.Name}: {c.ActiveObjects} active objects counted, slabs hold {active[c.Id]}");
            Require(nodePartialFree[c.Id] == c.NodePartialFreeObjects, $"{c.Name}: {c.NodePartialFreeObjects} free objects counted on node partial lists, the slabs there have {nodePartialFree[c.Id]}");
            for (int cpu = 0; cpu < k.Scenario.Cpus; cpu++)
                foreach (int slab in k.Slab.CpuPartialSlabs(c, cpu))
                    Require(k.Slab.IsLive(slab) && k.Slab.FrozenBy(slab) == cpu && k.Slab.ListsOf(slab).OnCpuPartial,
                        $"{c.Name}: slab {slab} on CPU {cpu}'s partial list is not frozen there");
        }
        var xfs = k.Xfs;
        long inodes = 0, dentries = 0;
        for (int i = 0; i < xfs.Files; i++)
        {
            if (xfs.FileOf(i).InodeSlab >= 0) inodes++;
            if (xfs.FileOf(i).DentrySlab >= 0) dentries++;
        }
        // Objects waiting for an RCU grace period belong to no file but are still allocated.
        var waiting = new long[k.Slab.Caches.Count];
        foreach (int slab in k.Rcu.PendingSlabs)
        {
            Require(k.Slab.IsLive(slab), $"slab {slab} has an object waiting for a grace period but is freed");
            waiting[k.Slab.Describe(slab).Cache]++;
        }
        inodes += waiting[k.Slab.XfsInode.Id];
        dentries += waiting[k.Slab.Dentry.Id];
        Require(inodes == k.Slab.XfsInode.ActiveObjects, $"{inodes} files have an xfs_inode (or wait to free it) but the cache has {k.Slab.XfsInode.ActiveObjects} active");
        Require(dentries == k.Slab.Dentry.ActiveObjects, $"{dentries} files have a dentry (or wait to free it) but the cache has {k.Slab.Dentry.ActiveObjects} active");
        CheckNodes(k, reclaimablePages);
    }

    /// <summary>Per-node state: each list_lru list holds only objects on its node, and NR_SLAB_RECLAIMABLE adds up.</summary>
    static void CheckNodes(Kernel k, long[] reclaimable)
    {
        var xfs = k.Xfs;
        foreach (var node in k.Nodes)
        {
            Require(reclaimable[node.Id] == k.Slab.ReclaimablePagesOn(node.Id),
                $"node {node.Id}: NR_SLAB_RECLAIMABLE {k.Slab.ReclaimablePagesOn(node.Id)} but its reclaimable slabs hold {reclaimable[node.Id]} pages");
            foreach (var zone in node.Zones)
                Require(zone.NodeId == node.Id && zone.StartPfn >= node.StartPfn && zone.EndPfn <= node.EndPfn,
                    $"zone {zone.Name} [{zone.StartPfn}, {zone.EndPfn}) is not inside node {node.Id}");
            long dentries = 0, inodes = 0;
            foreach (int file in xfs.DentryLruFiles(node.Id))
            {
                Require(xfs.FileOf(file).DentrySlab >= 0 && k.Slab.NodeOf(xfs.FileOf(file).DentrySlab) == node.Id,
                    $"file {file} is on node {node.Id}'s dentry LRU but its dentry is not on that node");
                dentries++;
            }
            foreach (int file in xfs.InodeLruFiles(node.Id))
            {
                Require(xfs.FileOf(file).InodeSlab >= 0 && k.Slab.NodeOf(xfs.FileOf(file).InodeSlab) == node.Id,
                    $"file {file} is on node {node.Id}'s inode LRU but its inode is not on that node");
                inodes++;
            }
            Require(dentries == xfs.DentryLru[node.Id].Count, $"node {node.Id}'s dentry LRU counts {xfs.DentryLru[node.Id].Count} but holds {dentries}");
            Require(inodes == xfs.InodeLru[node.Id].Count, $"node {node.Id}'s inode LRU counts {xfs.InodeLru[node.Id].Count} but holds {inodes}");
        }
    }

    static void CheckSwap(Kernel k, SwapDevice swap)
    {
        long inuse = 0, cacheOnly = 0, cachePages = 0;
        for (int s = 1; s < swap.Max; s++)
        {
            if (swap.Map[s] != 0)
                inuse++;
            if (swap.Map[s] == SwapDevice.SwapHasCache)
                cacheOnly++;
            if ((swap.Map[s] & SwapDevice.SwapHasCache) != 0)
            {
                cachePages++;
                int pfn = swap.CachePage[s];
                Require(pfn >= 0 && k.Frames.SwapSlot[pfn] == s, $"swap slot {s} has SWAP_HAS_CACHE but its page does not point back");
            }
            if (swap.Map[s] == 0)
                Require(s >= swap.LowestBit && s <= swap.HighestBit, $"free swap slot {s} lies outside lowest_bit {swap.LowestBit}..highest_bit {swap.HighestBit}");
        }
        Require(inuse == swap.InusePages, $"swap: {swap.InusePages} slots counted in use, map has {inuse}");
        Require(cacheOnly == swap.CacheOnlySlots, $"swap: {swap.CacheOnlySlots} cache-only slots counted, map has {cacheOnly}");
        Require(cachePages == swap.SwapCachePages, $"swap: {swap.SwapCachePages} swap-cache pages counted, map has {cachePages}");
        Require(k.Swap.NrSwapPages == swap.Pages - swap.InusePages, $"nr_swap_pages {k.Swap.NrSwapPages} != free slots {swap.Pages - swap.InusePages}");
    }

    static void Require(bool ok, string message)
    {
        if (!ok)
            throw new InvalidOperationException("invariant violated: " + message);
    }
}
