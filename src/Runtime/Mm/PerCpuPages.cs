namespace Policyc.Runtime.Mm;

/// <summary>
/// A zone's per-CPU page lists (struct per_cpu_pages, mm/page_alloc.c): order-0 pages go to the
/// freeing CPU's list instead of the buddy lists, and order-0 allocations take from the allocating
/// CPU's list, refilled from the buddy allocator a batch at a time. Pages on these lists are not in
/// NR_FREE_PAGES, so the watermark tests do not see them, and they merge with their buddies only
/// when a list overflows its high mark or is drained.
/// </summary>
public sealed class PerCpuPages
{
    /// <summary>MIGRATE_PCPTYPES: unmovable, reclaimable and movable have lists of their own.</summary>
    const int ListTypes = 3;

    /// <summary>pcp->batch: pages moved between a list and the buddy allocator at once.</summary>
    public readonly int Batch;
    /// <summary>pcp->high: a list holding this many pages gives a batch back.</summary>
    public readonly int High;

    readonly PageList[] lists;
    readonly int[] counts;

    public PerCpuPages(long managedPages, int cpus)
    {
        int batch = ZoneBatchSize(managedPages);
        // pageset_set_batch: high is six batches; a batch of 0 still moves one page.
        High = 6 * batch;
        Batch = Math.Max(1, batch);
        lists = new PageList[cpus * ListTypes];
        for (int i = 0; i < lists.Length; i++)
            lists[i] = PageList.Empty;
        counts = new int[cpus];
    }

    /// <summary>
    /// zone_batchsize: a quarter of the zone's pages per 1024, at most 512 KiB, rounded down to a power
    /// of two less one (so that batches do not line up with cache colours): 31 for any zone of 512 MiB
    /// or more, 0 for ZONE_DMA.
    /// </summary>
    public static int ZoneBatchSize(long managedPages)
    {
        long batch = Math.Min(managedPages / 1024, 512 * 1024 / Policy.PolicyTypes.PageSize);
        batch /= 4;
        if (batch < 1)
            batch = 1;
        return (1 << System.Numerics.BitOperations.Log2((ulong)(batch + batch / 2))) - 1;
    }

    /// <summary>Pages on <paramref name="cpu"/>'s lists (pcp->count).</summary>
    public int Count(int cpu) => counts[cpu];

    /// <summary>Pages on every CPU's lists.</summary>
    public long Total => counts.Sum(c => (long)c);

    public int Cpus => counts.Length;

    ref PageList List(int cpu, MigrateType type) => ref lists[cpu * ListTypes + (int)type];

    /// <summary>The list an order-0 page of a pageblock of <paramref name="type"/> goes to: MIGRATE_RESERVE counts as movable.</summary>
    public static MigrateType ListOf(MigrateType type) => type == MigrateType.Reserve ? MigrateType.Movable : type;

    /// <summary>
    /// buffered_rmqueue for order 0: a page from the head of the CPU's list of the request's type
    /// (the tail for a cold page), the list first refilled with a batch from the buddy allocator if it
    /// is empty (rmqueue_bulk, which keeps the pages in the order __rmqueue gave them). -1 if the buddy
    /// allocator has none left.
    /// </summary>
    public int Alloc(PageFrames f, Zone zone, int cpu, MigrateType type, bool cold)
    {
        ref var list = ref List(cpu, type);
        if (list.Count == 0)
            for (int i = 0; i < Batch; i++)
            {
                int page = Buddy.TakeBlock(f, zone, 0, type);
                if (page < 0)
                    break;
                f.State[page] = PageState.PerCpu;
                list.AddTail(f, page);
                counts[cpu]++;
            }
        if (list.Count == 0)
            return -1;
        int pfn = cold ? list.Tail : list.Head;
        list.Remove(f, pfn);
        counts[cpu]--;
        return pfn;
    }

    /// <summary>
    /// free_hot_cold_page: the page goes to the head of the CPU's list for its pageblock's type (the
    /// tail if cold); a list that reaches its high mark gives a batch back to the buddy allocator.
    /// </summary>
    public void Free(PageFrames f, Zone zone, int cpu, int pfn, bool cold)
    {
        f.Release(pfn, PageState.PerCpu);
        ref var list = ref List(cpu, ListOf(f.PageblockOf(pfn)));
        if (cold)
            list.AddTail(f, pfn);
        else
            list.AddHead(f, pfn);
        if (++counts[cpu] >= High)
            FreeBulk(f, zone, cpu, Batch);
    }

    /// <summary>drain_all_pages for this zone: every CPU's lists go back to the buddy allocator.</summary>
    public void Drain(PageFrames f, Zone zone)
    {
        for (int cpu = 0; cpu < counts.Length; cpu++)
            Drain(f, zone, cpu);
    }

    /// <summary>drain_pages for one CPU in this zone: its lists go back to the buddy allocator.</summary>
    public void Drain(PageFrames f, Zone zone, int cpu)
    {
        if (counts[cpu] > 0)
            FreeBulk(f, zone, cpu, counts[cpu]);
    }

    /// <summary>
    /// free_pcppages_bulk: <paramref name="count"/> pages from the tails of the CPU's lists, taken in
    /// turn with a growing share from each (reclaimable first), merged back into the buddy lists.
    /// Freeing into the zone resets pages_scanned.
    /// </summary>
    void FreeBulk(PageFrames f, Zone zone, int cpu, int count)
    {
        zone.PagesScanned = 0;
        int type = 0, batchFree = 0, toFree = count;
        while (toFree > 0)
        {
            ref var list = ref List(cpu, MigrateType.Unmovable);
            do
            {
                batchFree++;
                if (++type == ListTypes)
                    type = 0;
                list = ref List(cpu, (MigrateType)type);
            } while (list.Count == 0);
            // The only list with pages left: free them all from it.
            if (batchFree == ListTypes)
                batchFree = toFree;
            do
            {
                int pfn = list.Tail;
                list.Remove(f, pfn);
                counts[cpu]--;
                Buddy.FreeToBuddy(f, zone, pfn, 0);
            } while (--toFree > 0 && --batchFree > 0 && list.Count > 0);
        }
    }

    /// <summary>Checks the lists against their counts and frame states (for <c>Invariants</c>); returns the pages held.</summary>
    internal long CheckLists(PageFrames f, Zone zone, byte[] seen, Action<bool, string> require)
    {
        long total = 0;
        for (int cpu = 0; cpu < counts.Length; cpu++)
        {
            long n = 0;
            for (int t = 0; t < ListTypes; t++)
                for (int pfn = List(cpu, (MigrateType)t).Head; pfn >= 0; pfn = f.Next[pfn])
                {
                    require(f.State[pfn] == PageState.PerCpu && zone.Contains(pfn), $"pcp list {(MigrateType)t} of CPU {cpu} in {zone.Name} holds pfn {pfn} in state {f.State[pfn]}");
                    require(seen[pfn]++ == 0, $"pfn {pfn} is on two lists");
                    n++;
                }
            require(n == counts[cpu], $"{zone.Name} pcp count of CPU {cpu} is {counts[cpu]} but its lists hold {n}");
            total += n;
        }
        return total;
    }
}
