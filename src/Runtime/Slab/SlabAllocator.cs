using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Slab;

/// <summary>
/// SLUB as far as fragmentation needs it: slabs of 2^order pages holding a fixed number of objects,
/// a per-cache partial list, new slabs from the page allocator (the preferred order tried with
/// __GFP_NORETRY first, then the minimum order), and a slab's pages returned only when its last
/// object is freed. Objects are identified by their slab id; the callers keep that id.
/// </summary>
internal sealed partial class SlabAllocator
{
    public const int Failed = PageAllocator.Failed;
    public const int Wait = PageAllocator.Wait;

    readonly Kernel k;
    readonly List<SlabCache> caches = [];
    readonly int minObjects;

    /// <summary>
    /// What SLUB keeps in a slab's struct page, indexed by slab id. One record a slab rather than an
    /// array a field: freeing an object reads most of them, and a slab is touched at random, so they
    /// share a cache line.
    /// </summary>
    struct SlabPage
    {
        public int FirstPfn;
        /// <summary>page->inuse: objects allocated.</summary>
        public int InUse;
        /// <summary>page->objects: objects the slab holds.</summary>
        public int Capacity;
        /// <summary>page->slab_cache, as the cache's id; -1 once the slab's pages are freed.</summary>
        public int Cache;
        /// <summary>page->lru on the node's partial list.</summary>
        public int Next, Prev;
        /// <summary>
        /// The CPU that holds the slab frozen, as its active slab (c->page) or on its partial list; -1
        /// if none (scenarios slub-cpu-slabs and slub-cpu-partial). Only that CPU allocates from it.
        /// </summary>
        public int CpuOwner;
        /// <summary>On a CPU's partial list (linked through Next): page->pobjects, the free objects of
        /// this slab and those behind it as each was counted when it joined.</summary>
        public int CpuPartialObjects;
        public byte Order;
        public bool OnPartial;
        public bool OnCpuPartial;
    }

    SlabPage[] slabs = new SlabPage[1024];
    readonly Stack<int> freeIds = new();
    int slabIds;

    public SlabAllocator(Kernel k)
    {
        this.k = k;
        reclaimablePagesOnNode = new long[k.Nodes.Length];
        // slub_min_objects = 4 * (fls(nr_cpu_ids) + 1), as calculate_order uses it.
        int fls = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)k.Scenario.Cpus);
        minObjects = 4 * (fls + 1);
        XfsInode = Create("xfs_inode", 1216, reclaimable: true);
        Dentry = Create("dentry", 216, reclaimable: true);
        foreach (var size in KmallocSizes)
            kmalloc.Add(Create($"kmalloc-{size}", size, reclaimable: false));
    }

    public static readonly int[] KmallocSizes = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192];
    /// <summary>KMALLOC_MAX_CACHE_SIZE for SLUB: two pages; larger kmallocs go to the page allocator.</summary>
    public const int KmallocMaxCacheSize = 8192;

    public readonly SlabCache XfsInode;
    public readonly SlabCache Dentry;
    readonly List<SlabCache> kmalloc = [];

    public IReadOnlyList<SlabCache> Caches => caches;

    public SlabCache KmallocCache(long size)
    {
        foreach (var c in kmalloc)
            if (c.ObjSize >= size)
                return c;
        throw new ArgumentOutOfRangeException(nameof(size), "kmalloc above KMALLOC_MAX_CACHE_SIZE goes to the page allocator");
    }

    SlabCache Create(string name, int size, bool reclaimable)
    {
        // calculate_order: the smallest order holding slub_min_objects, at most slub_max_order 3.
        int o = 0;
        while (o < 3 && (4096 << o) / size < minObjects)
            o++;
        var cache = new SlabCache(caches.Count, name, size, o, reclaimable, k.Nodes.Length);
        caches.Add(cache);
        return cache;
    }

    /// <summary>NR_SLAB_RECLAIMABLE per node, in pages.</summary>
    readonly long[] reclaimablePagesOnNode;

    /// <summary>The node a slab's pages are on (page_to_nid of its first page).</summary>
    public int NodeOf(int slab) => k.NodeOf(slabs[slab].FirstPfn);

    /// <summary>NR_SLAB_RECLAIMABLE of one node, in pages.</summary>
    public long ReclaimablePagesOn(int nid) => reclaimablePagesOnNode[nid];

    void CountReclaimablePages(SlabCache cache, int pfn, long pages)
    {
        if (cache.Reclaimable)
            reclaimablePagesOnNode[k.NodeOf(pfn)] += pages;
    }

    /// <summary>NR_SLAB_RECLAIMABLE in pages.</summary>
    public long ReclaimablePages
    {
        get
        {
            long p = 0;
            foreach (var c in caches)
                if (c.Reclaimable)
                    p += c.Pages;
            return p;
        }
    }

    public long TotalPages
    {
        get
        {
            long p = 0;
            foreach (var c in caches)
                p += c.Pages;
            return p;
        }
    }

    /// <summary>kmem_cache_alloc: a slab id holding the new object, or Failed / Wait (see <see cref="PageAllocator"/>).</summary>
    public int Alloc(SlabCache cache, Gfp gfp, ref AllocAttempt attempt)
    {
        if (k.Scenario.SlubCpuSlabs)
            return AllocFromCpuSlab(cache, gfp, ref attempt);
        int slab = PartialOrNewSlab(cache, gfp, ref attempt);
        if (slab < 0)
            return slab;
        TakeObject(cache, slab);
        if (slabs[slab].InUse == slabs[slab].Capacity)
            RemovePartial(cache, slab);
        return slab;
    }

    /// <summary>
    /// get_partial, else a new slab (or Failed / Wait): the first partial slab of the running task's
    /// node; failing that, get_any_partial's first node along the zonelist that holds more than
    /// min_partial partial slabs. (The kernel skips that search when get_cycles() % 1024 exceeds
    /// remote_node_defrag_ratio, 23 times in 1024 at the default; the model always searches.)
    /// </summary>
    int PartialOrNewSlab(SlabCache cache, Gfp gfp, ref AllocAttempt attempt)
    {
        int node = PartialNode(cache);
        return node >= 0 ? cache.PartialHead[node] : NewSlab(cache, gfp, ref attempt);
    }

    /// <summary>The node get_partial takes a partial slab from (see <see cref="PartialOrNewSlab"/>), -1 if none.</summary>
    int PartialNode(SlabCache cache)
    {
        var local = k.CurrentNode;
        if (cache.PartialHead[local.Id] >= 0)
            return local.Id;
        if (k.Nodes.Length > 1)
            foreach (var zone in local.Zonelist)
                if (zone.NodeId != local.Id && cache.PartialCount[zone.NodeId] > cache.MinPartial)
                    return zone.NodeId;
        return -1;
    }

    void TakeObject(SlabCache cache, int slab)
    {
        cache.ActiveObjects++;
        if (slabs[slab].OnPartial)
            cache.NodePartialFreeObjects--;
        if (++slabs[slab].InUse == 1)
            cache.EmptyPartial[NodeOf(slab)]--;
    }

    /// <summary>
    /// SLUB's per-CPU active slabs (scenario slub-cpu-slabs): each CPU allocates from its own slab
    /// (c->page, taken off the partial list and "frozen") until it is full, then takes the next
    /// partial slab or a new one.
    /// </summary>
    int AllocFromCpuSlab(SlabCache cache, Gfp gfp, ref AllocAttempt attempt)
    {
        int cpu = k.CurrentCpu;
        cache.CpuSlab ??= Enumerable.Repeat(-1, k.Scenario.Cpus).ToArray();
        int slab = cache.CpuSlab[cpu];
        if (slab < 0 || slabs[slab].InUse == slabs[slab].Capacity)
        {
            if (slab >= 0)
                slabs[slab].CpuOwner = -1; // unfrozen: full, so on no list
            cache.CpuSlab[cpu] = -1;
            slab = k.Scenario.SlubCpuPartial
                ? CpuPartialOrNodeSlab(cache, cpu, gfp, ref attempt)
                : PartialOrNewSlab(cache, gfp, ref attempt);
            if (slab < 0)
                return slab;
            RemovePartial(cache, slab);
            slabs[slab].CpuOwner = cpu;
            cache.CpuSlab[cpu] = slab;
        }
        TakeObject(cache, slab);
        return slab;
    }

    /// <summary>
    /// kmem_cache_free: frees the slab's pages when its last object goes (beyond the kept empty
    /// slabs). <paramref name="cpu"/> is the CPU it runs on, the running task's unless given (an RCU
    /// callback runs on the CPU that queued it).
    /// </summary>
    public void Free(int slab, int? cpu = null)
    {
        ref var page = ref slabs[slab];
        var cache = caches[page.Cache];
        bool wasFull = page.InUse == page.Capacity;
        page.InUse--;
        cache.ActiveObjects--;
        if (page.OnPartial)
            cache.NodePartialFreeObjects++;
        if (page.CpuOwner >= 0)
        {
            // A frozen slab (a CPU's active slab, or one on its partial list) stays with it, empty or not.
            if (page.InUse == 0)
                cache.EmptyPartial[NodeOf(slab)]++;
            return;
        }
        // 3.13's __slab_free (scenario slub-partial-order): a full slab that gets a free object goes to
        // the tail of the node's partial list (allocations take the head, the oldest), or with
        // slub-cpu-partial is frozen onto the freeing CPU's partial list; an emptied slab is freed
        // while the node holds more than min_partial partial slabs of any occupancy. The
        // simplification refills the newest and keeps up to min_partial empty slabs.
        bool order313 = k.Scenario.SlubPartialOrder;
        if (wasFull && k.Scenario.SlubCpuPartial)
        {
            FreezeOntoCpuPartial(cache, slab, cpu ?? k.CurrentCpu);
            return;
        }
        if (wasFull)
            AddPartial(cache, slab, tail: order313);
        if (page.InUse == 0)
        {
            int node = NodeOf(slab);
            if (order313 ? cache.PartialCount[node] > cache.MinPartial : cache.EmptyPartial[node] >= cache.MinPartial)
                DiscardSlab(cache, slab);
            else
                cache.EmptyPartial[node]++;
        }
    }

    int NewSlab(SlabCache cache, Gfp gfp, ref AllocAttempt attempt)
    {
        int o = cache.Order;
        if (cache.Reclaimable)
            gfp |= Gfp.RECLAIMABLE; // SLAB_RECLAIM_ACCOUNT
        // allocate_slab: first the preferred order without retrying or warning, then the minimum order.
        var quick = new AllocAttempt { IsKswapd = attempt.IsKswapd };
        int pfn = o > cache.MinOrder && attempt.Retries == 0
            ? k.PageAlloc.AllocPages((gfp | Gfp.NOWARN | Gfp.NORETRY) & ~Gfp.NOFAIL, o, PageState.Slab, -1, ref quick)
            : PageAllocator.Failed;
        if (pfn < 0)
        {
            o = cache.MinOrder;
            pfn = k.PageAlloc.AllocPages(gfp, o, PageState.Slab, -1, ref attempt);
            if (pfn < 0)
                return pfn;
        }
        int id = freeIds.Count > 0 ? freeIds.Pop() : slabIds++;
        EnsureCapacity(id);
        slabs[id] = new SlabPage
        {
            FirstPfn = pfn,
            Capacity = cache.ObjectsPerSlab(o),
            Cache = cache.Id,
            CpuOwner = -1,
            Order = (byte)o,
        };
        int n = 1 << o;
        for (int i = 0; i < n; i++)
            k.Frames.Owner[pfn + i] = id;
        cache.Slabs++;
        cache.Objects += slabs[id].Capacity;
        cache.Pages += n;
        CountReclaimablePages(cache, pfn, n);
        cache.EmptyPartial[k.NodeOf(pfn)]++;
        AddPartial(cache, id);
        return id;
    }

    void DiscardSlab(SlabCache cache, int slab)
    {
        RemovePartial(cache, slab);
        ref var page = ref slabs[slab];
        cache.Slabs--;
        cache.Objects -= page.Capacity;
        cache.Pages -= 1 << page.Order;
        CountReclaimablePages(cache, page.FirstPfn, -(1L << page.Order));
        k.PageAlloc.FreePages(page.FirstPfn, page.Order);
        page.Cache = -1;
        freeIds.Push(slab);
    }

    void AddPartial(SlabCache cache, int slab, bool tail = false)
    {
        int node = NodeOf(slab);
        ref var page = ref slabs[slab];
        page.OnPartial = true;
        cache.NodePartialFreeObjects += page.Capacity - page.InUse;
        if (tail && cache.PartialTail[node] >= 0)
        {
            page.Next = -1;
            page.Prev = cache.PartialTail[node];
            slabs[cache.PartialTail[node]].Next = slab;
            cache.PartialTail[node] = slab;
        }
        else
        {
            page.Prev = -1;
            page.Next = cache.PartialHead[node];
            if (cache.PartialHead[node] >= 0)
                slabs[cache.PartialHead[node]].Prev = slab;
            else
                cache.PartialTail[node] = slab;
            cache.PartialHead[node] = slab;
        }
        cache.PartialCount[node]++;
    }

    void RemovePartial(SlabCache cache, int slab)
    {
        ref var page = ref slabs[slab];
        if (!page.OnPartial)
            return;
        int node = NodeOf(slab);
        page.OnPartial = false;
        cache.NodePartialFreeObjects -= page.Capacity - page.InUse;
        if (page.Prev >= 0)
            slabs[page.Prev].Next = page.Next;
        else
            cache.PartialHead[node] = page.Next;
        if (page.Next >= 0)
            slabs[page.Next].Prev = page.Prev;
        else
            cache.PartialTail[node] = page.Prev;
        cache.PartialCount[node]--;
    }

    void EnsureCapacity(int id)
    {
        if (id < slabs.Length)
            return;
        Array.Resize(ref slabs, Math.Max(id + 1, slabs.Length * 2));
    }

    // ---- for invariant checks ----
    public int SlabCount => slabIds;
    public bool IsLive(int slab) => slab < slabIds && slabs[slab].Cache >= 0;
    public (int FirstPfn, int Order, int InUse, int Capacity, int Cache) Describe(int slab) =>
        (slabs[slab].FirstPfn, slabs[slab].Order, slabs[slab].InUse, slabs[slab].Capacity, slabs[slab].Cache);
    /// <summary>Where the slab waits: on its node's partial list, on a CPU's partial list, or neither.</summary>
    public (bool OnNodePartial, bool OnCpuPartial) ListsOf(int slab) => (slabs[slab].OnPartial, slabs[slab].OnCpuPartial);
}
