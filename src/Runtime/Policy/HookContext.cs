namespace Policyc.Runtime.Policy;

/// <summary>
/// Everything a policy rule may read, passed by reference (<c>in</c>) to every hook. The runtime
/// fills in the groups that the hook's descriptor lists; the others hold stale or default values,
/// and the checker rejects a rule that reads them. Policies cannot write it: generated code only
/// reads fields of an <c>in</c> parameter.
/// </summary>
public struct HookContext
{
    [PolicyGroup("request", ContextGroups.Request, "The allocation being served, or the reclaim context's gfp and order.", Unqualified = true)]
    public AllocRequest Request;

    [PolicyGroup("zone", ContextGroups.Zone, "The zone under consideration: the preferred zone of an allocation, or the zone kswapd or reclaim is looking at.")]
    public ZoneState Zone;

    [PolicyGroup("node", ContextGroups.Node, "The memory node: in kswapd's rules the node that kswapd balances; elsewhere the whole machine, every node of the zonelist (one node unless the scenario sets nodes).")]
    public NodeState Node;

    [PolicyGroup("swap", ContextGroups.Swap, "The swap devices, summed.")]
    public SwapState Swap;

    [PolicyGroup("shrinker", ContextGroups.Shrinker, "The shrinker being called by shrink_slab.")]
    public ShrinkerState Shrinker;

    [PolicyGroup("kswapd", ContextGroups.Kswapd, "The node's kswapd thread.")]
    public KswapdState Kswapd;

    [PolicyGroup("scan", ContextGroups.Scan, "The scan_control of the reclaim pass in progress.")]
    public ScanControl Scan;

    [PolicyGroup("vm", ContextGroups.Vm, "The vm sysctls of the scenario.")]
    public VmSysctl Vm;

    [PolicyGroup("clock", ContextGroups.Clock, "Virtual time.")]
    public ClockState Clock;
}

public struct AllocRequest
{
    [PolicyField("gfp", PolicyType.Gfp, "The request's GFP mask (for reclaim and shrinkers: the reclaim context's mask).")]
    public Gfp Gfp;

    [PolicyField("order", PolicyType.Count, "The allocation order: the request is for 2^order contiguous pages.", Max = Watermarks.MaxOrder - 1)]
    public long Order;

    [PolicyField("size", PolicyType.Bytes, "The size the caller asked for (kmalloc size, or the pages' size).")]
    public long Size;

    [PolicyField("retries", PolicyType.Count, "Times __alloc_pages_slowpath has already looped for this request.")]
    public long Retries;

    [PolicyField("reclaimed", PolicyType.Pages, "Progress reported by the last direct reclaim (did_some_progress).")]
    public long Reclaimed;

    [PolicyField("total_reclaimed", PolicyType.Pages, "Pages reclaimed over all of this request's retries (pages_reclaimed).")]
    public long TotalReclaimed;

    [PolicyField("in_transaction", PolicyType.Bool, "The task is inside a filesystem transaction (PF_FSTRANS).")]
    public bool InTransaction;

    [PolicyField("is_kswapd", PolicyType.Bool, "The allocating or reclaiming task is kswapd.")]
    public bool IsKswapd;
}

public struct ZoneState
{
    [PolicyField("index", PolicyType.Count, "Zone index: 0 DMA, 1 DMA32, 2 Normal.", Max = 2)]
    public long Index;

    [PolicyField("managed", PolicyType.Pages, "Pages the buddy allocator manages in this zone.")]
    public long Managed;

    [PolicyField("free", PolicyType.Pages, "Free pages (NR_FREE_PAGES).")]
    public long Free;

    [PolicyField("min", PolicyType.Pages, "The MIN watermark.")]
    public long Min;

    [PolicyField("low", PolicyType.Pages, "The LOW watermark.")]
    public long Low;

    [PolicyField("high", PolicyType.Pages, "The HIGH watermark.")]
    public long High;

    [PolicyField("reclaimable", PolicyType.Pages, "zone_reclaimable_pages: file LRU pages, plus anon LRU pages while swap has free slots.")]
    public long Reclaimable;

    [PolicyField("pages_scanned", PolicyType.Pages, "Pages scanned since the zone last freed a page (zone->pages_scanned).")]
    public long PagesScanned;

    [PolicyField("lowmem_reserve", PolicyType.Pages, "Pages this zone keeps back from allocations that could use a higher zone.")]
    public long LowmemReserve;

    [PolicyField("compaction_deferred", PolicyType.Bool, "Compaction at the current order is deferred after recent failures.")]
    public bool CompactionDeferred;

    /// <summary>nr_free per order (free_area[order].nr_free): blocks, not pages. Not visible to policies directly.</summary>
    public long[]? FreeBlocks;

    [PolicyField("extfrag_threshold", PolicyType.Count, "sysctl extfrag_threshold (default 500).")]
    public long ExtfragThreshold;

    [PolicyField("balance_gap", PolicyType.Pages, "kswapd's balance gap: the LOW watermark or 1% of the zone, whichever is smaller (KSWAPD_ZONE_BALANCE_GAP_RATIO).")]
    public long BalanceGap;

    /// <summary>zone_reclaimable(): pages_scanned &lt; 6 x reclaimable pages.</summary>
    [PolicyFunction("is_reclaimable", PolicyType.Bool, "zone_reclaimable(): fewer than six times its reclaimable pages scanned since the last page was freed.")]
    public readonly bool IsReclaimable() => PagesScanned < Reclaimable * 6;

    /// <summary>__zone_watermark_ok: the kernel's test, subtracting free blocks below the order.</summary>
    [PolicyFunction("watermark_ok", PolicyType.Bool, "__zone_watermark_ok(zone, order, mark): enough free pages above mark in blocks of at least this order (false for an order outside 0-10).", PolicyType.Pages, PolicyType.Count)]
    public readonly bool WatermarkOk(long mark, long order) => Watermarks.Ok(Free, FreeBlocks, mark, order, LowmemReserve);

    [PolicyFunction("free_at_order", PolicyType.Pages, "Free pages in blocks of at least this order (0 for an order outside 0-10).", PolicyType.Count)]
    public readonly long FreeAtOrder(long order) => Watermarks.FreePagesAtOrAbove(FreeBlocks, order);

    [PolicyFunction("fragmentation_index", PolicyType.Count, "fragmentation_index(zone, order) x1000: near 1000 means failure from fragmentation, near 0 from lack of memory; -1000 if a block of that order is free (0 for an order outside 0-10).", PolicyType.Count)]
    public readonly long FragmentationIndex(long order) => Watermarks.FragmentationIndex(FreeBlocks, order);

    [PolicyFunction("compaction_suitable", PolicyType.Bool, "compaction_suitable(zone, order) != COMPACT_SKIPPED: LOW + 2<<order free at order 0 and fragmentation index above extfrag_threshold (or -1000); false for an order outside 1-10.", PolicyType.Count)]
    public readonly bool CompactionSuitable(long order) => Watermarks.CompactionSuitable(this, order);
}

public struct NodeState
{
    [PolicyField("managed", PolicyType.Pages, "Pages managed in all zones of the node.")]
    public long Managed;

    [PolicyField("free", PolicyType.Pages, "Free pages in all zones.")]
    public long Free;

    [PolicyField("file", PolicyType.Pages, "File LRU pages (active + inactive).")]
    public long File;

    [PolicyField("anon", PolicyType.Pages, "Anon LRU pages (active + inactive).")]
    public long Anon;

    [PolicyField("slab_reclaimable", PolicyType.Pages, "Pages held by reclaimable slab caches (NR_SLAB_RECLAIMABLE).")]
    public long SlabReclaimable;

    [PolicyField("slab_deferred", PolicyType.Count, "Objects of deferred shrinker work, summed over shrinkers (nr_deferred, of the node's own counters).")]
    public long SlabDeferred;

    [PolicyField("failing_order", PolicyType.Count, "The highest order of an allocation that failed its watermark test in the last second, or -1.", Min = -1, Max = Watermarks.MaxOrder - 1)]
    public long FailingOrder;

    [PolicyField("all_unreclaimable", PolicyType.Bool, "Every zone has been scanned six times its reclaimable pages without freeing one.")]
    public bool AllUnreclaimable;

    [PolicyField("balanced_fraction", PolicyType.Percent, "Share of the node's managed pages in zones balanced (HIGH watermark) at kswapd's order: pgdat_balanced wants 25 for order > 0. Outside kswapd's rules: the running task's node.")]
    public long BalancedPercent;
}

public struct SwapState
{
    [PolicyField("total", PolicyType.Pages, "Swap slots on all devices.")]
    public long Total;

    [PolicyField("free", PolicyType.Pages, "Free swap slots (nr_swap_pages).")]
    public long Free;

    [PolicyField("used", PolicyType.Pages, "Slots in use.")]
    public long Used;

    [PolicyField("cache", PolicyType.Pages, "Pages in the swap cache.")]
    public long Cache;

    [PolicyField("cache_only", PolicyType.Pages, "Slots held only by the swap cache (reclaimable by try_to_free_swap).")]
    public long CacheOnly;

    [PolicyField("devices", PolicyType.Count, "Active swap devices.")]
    public long Devices;
}

public struct ShrinkerState
{
    [PolicyField("freeable", PolicyType.Count, "What count_objects returned for this call.")]
    public long Freeable;

    [PolicyField("deferred", PolicyType.Count, "nr_deferred taken by this call (xchg to 0).")]
    public long Deferred;

    [PolicyField("delta", PolicyType.Count, "The new work this call computed: (4 x nr_scanned / seeks) x freeable / (lru_pages + 1).")]
    public long Delta;

    [PolicyField("total_scan", PolicyType.Count, "deferred + delta after the kernel's caps: the objects this call would scan.")]
    public long TotalScan;

    [PolicyField("nr_scanned", PolicyType.Pages, "LRU pages scanned by the reclaim pass that called shrink_slab.")]
    public long NrScanned;

    [PolicyField("lru_pages", PolicyType.Pages, "Reclaimable LRU pages of the zones being reclaimed.")]
    public long LruPages;
}

public struct KswapdState
{
    [PolicyField("order", PolicyType.Count, "The order kswapd was asked to balance for (pgdat->kswapd_max_order, or balance_pgdat's sc.order).", Max = Watermarks.MaxOrder - 1)]
    public long Order;

    [PolicyField("priority", PolicyType.Count, "balance_pgdat's priority (12 down to 1).", Max = 12)]
    public long Priority;

    [PolicyField("reclaimed", PolicyType.Pages, "Pages reclaimed in this balance_pgdat run.")]
    public long Reclaimed;

    [PolicyField("awake", PolicyType.Bool, "kswapd is running rather than asleep on kswapd_wait.")]
    public bool Awake;

    [PolicyField("wakeups", PolicyType.Count, "How many times kswapd has been woken so far.")]
    public long Wakeups;
}

public struct ScanControl
{
    [PolicyField("priority", PolicyType.Count, "Reclaim priority: 12 (DEF_PRIORITY) down to 0; a list is scanned size >> priority.", Max = 12)]
    public long Priority;

    [PolicyField("nr_to_reclaim", PolicyType.Pages, "The pass's goal (32, SWAP_CLUSTER_MAX, for direct reclaim).")]
    public long NrToReclaim;

    [PolicyField("nr_scanned", PolicyType.Pages, "Pages scanned so far in this pass.")]
    public long NrScanned;

    [PolicyField("nr_reclaimed", PolicyType.Pages, "Pages reclaimed so far in this pass.")]
    public long NrReclaimed;

    [PolicyField("is_kswapd", PolicyType.Bool, "The pass is kswapd's balance_pgdat.")]
    public bool IsKswapd;

    [PolicyField("is_drop_caches", PolicyType.Bool, "The pass is drop_slab from echo 2 > /proc/sys/vm/drop_caches.")]
    public bool IsDropCaches;
}

public struct VmSysctl
{
    [PolicyField("swappiness", PolicyType.Count, "vm.swappiness (default 60).", Max = 100)]
    public long Swappiness;

    [PolicyField("vfs_cache_pressure", PolicyType.Percent, "vm.vfs_cache_pressure (default 100).")]
    public long VfsCachePressure;

    [PolicyField("min_free", PolicyType.Bytes, "vm.min_free_kbytes, in bytes.")]
    public long MinFree;
}

public struct ClockState
{
    [PolicyField("now", PolicyType.Duration, "Virtual time since boot.")]
    public long Now;
}
