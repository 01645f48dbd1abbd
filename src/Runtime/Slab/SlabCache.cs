namespace Policyc.Runtime.Slab;

/// <summary>A kmem_cache: object size, objects per slab, slab order, and its counters for slabtop.</summary>
internal sealed class SlabCache
{
    public readonly int Id;
    public readonly string Name;
    public readonly int ObjSize;
    /// <summary>The order SLUB prefers (oo); a slab may fall back to the minimum order that holds one object.</summary>
    public readonly int Order;
    public readonly int MinOrder;
    /// <summary>SLAB_RECLAIM_ACCOUNT: pages count as NR_SLAB_RECLAIMABLE.</summary>
    public readonly bool Reclaimable;
    /// <summary>Empty slabs kept on the partial list instead of going back to the page allocator (s->min_partial).</summary>
    public readonly int MinPartial;

    public long Slabs;
    public long Objects;
    public long ActiveObjects;
    /// <summary>
    /// The free objects of the slabs on the node partial lists (count_partial's count_free). SLUB's
    /// /proc/slabinfo counts every other object as active, free ones in frozen per-CPU slabs too.
    /// </summary>
    public long NodePartialFreeObjects;
    /// <summary>active_objs as /proc/slabinfo (and so slabtop) shows it under SLUB.</summary>
    public long SlabinfoActiveObjects => Objects - NodePartialFreeObjects;
    public long Pages;
    /// <summary>
    /// kmem_cache_node's partial list, one per node (slabs whose pages are on that node): its head and
    /// tail (slab ids linked through SlabAllocator's arrays, -1 if empty), its length, and the empty
    /// slabs on it.
    /// </summary>
    public readonly int[] PartialHead;
    public readonly int[] PartialTail;
    public readonly long[] PartialCount;
    public readonly long[] EmptyPartial;
    /// <summary>Each CPU's active slab (c->page) with the scenario's slub-cpu-slabs, -1 if none; null otherwise.</summary>
    public int[]? CpuSlab;
    /// <summary>Each CPU's partial list (c->partial) with the scenario's slub-cpu-partial: its head, -1 if empty; null otherwise.</summary>
    public int[]? CpuPartial;
    /// <summary>
    /// s->cpu_partial, as kmem_cache_open sets it from the object size: a CPU's partial list moves to
    /// the node lists when a free finds it holding more free objects than this.
    /// </summary>
    public readonly int CpuPartialObjects;

    public SlabCache(int id, string name, int objSize, int order, bool reclaimable, int nodes)
    {
        PartialHead = [.. Enumerable.Repeat(-1, nodes)];
        PartialTail = [.. Enumerable.Repeat(-1, nodes)];
        PartialCount = new long[nodes];
        EmptyPartial = new long[nodes];
        Id = id;
        Name = name;
        ObjSize = objSize;
        Order = order;
        Reclaimable = reclaimable;
        int min = 0;
        while ((4096 << min) < objSize)
            min++;
        MinOrder = min;
        MinPartial = Math.Clamp((int)Math.Log2(objSize) / 2, 5, 10);
        CpuPartialObjects = objSize >= 4096 ? 2 : objSize >= 1024 ? 6 : objSize >= 256 ? 13 : 30;
    }

    public int ObjectsPerSlab(int order) => (4096 << order) / ObjSize;
}
