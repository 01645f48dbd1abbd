namespace Policyc.Runtime.Policy;

/// <summary>The sections of a policy; each groups the hooks called at one place in the kernel.</summary>
public enum PolicySection
{
    /// <summary>__alloc_pages_slowpath: what an allocation in a given GFP context may do.</summary>
    Gfp,
    /// <summary>Direct reclaim and shrink_zone: which LRUs to scan, whether to shrink slab.</summary>
    Reclaim,
    /// <summary>shrink_slab, per shrinker (sections are written <c>shrinker "pattern" { … }</c>).</summary>
    Shrinker,
    /// <summary>wakeup_kswapd, balance_pgdat and kswapd's sleep.</summary>
    Kswapd,
    /// <summary>get_swap_page and scan_swap_map.</summary>
    Swap,
    /// <summary>XFS's kmem_alloc retry loop.</summary>
    Xfs,
}

/// <summary>Every decision the runtime asks a policy for. The numbering is internal; names are stable.</summary>
public enum HookId
{
    // gfp
    GfpWakeKswapd,
    GfpMayReclaim,
    GfpMayCompact,
    GfpMayEnterFs,
    GfpMayIo,
    GfpMaySwap,
    GfpMayOom,
    GfpShouldRetry,
    GfpRetryWait,
    // reclaim
    ReclaimScanAnon,
    ReclaimScanFile,
    ReclaimSwappiness,
    ReclaimSkipCompactionReadyZone,
    ReclaimShrinkSlab,
    ReclaimProgress,
    // shrinker (per pattern)
    ShrinkerAction,
    ShrinkerBatch,
    ShrinkerSeeks,
    ShrinkerScanBelowBatch,
    ShrinkerScanByPriority,
    // kswapd
    KswapdWake,
    KswapdZoneBalanced,
    KswapdShrinkSlab,
    KswapdShrinkSlabWhenBalanced,
    KswapdCompact,
    KswapdSleep,
    // swap
    SwapSkipLowestBit,
    SwapScanFullDevice,
    SwapReclaimCacheSlots,
    // xfs
    XfsKmemRetryWait,
    XfsKmemFallbackOrder0,
    XfsDeadlockWarnEvery,
    XfsLvAllocOutsideCilLock,
}

/// <summary>One hook: where it is called, what it returns, and which context groups are valid in it.</summary>
public sealed record HookDescriptor(
    HookId Id,
    PolicySection Section,
    string Name,
    PolicyType Returns,
    ContextGroups Reads,
    string KernelSite,
    string Doc)
{
    /// <summary>The qualified name used in messages: <c>gfp.may_compact</c>.</summary>
    public string QualifiedName => $"{HookCatalog.SectionName(Section)}.{Name}";
}

/// <summary>
/// The list of hooks: the one place the compiler learns which rules exist. Adding a hook means adding
/// a <see cref="HookId"/>, a descriptor here, a typed field in <see cref="PolicyTable"/>, and the call
/// in the runtime; the compiler needs no change.
/// </summary>
public static class HookCatalog
{
    const ContextGroups Common = ContextGroups.Node | ContextGroups.Swap | ContextGroups.Vm | ContextGroups.Clock;
    const ContextGroups GfpReads = ContextGroups.Request | ContextGroups.Zone | Common;
    const ContextGroups ReclaimReads = ContextGroups.Request | ContextGroups.Zone | ContextGroups.Scan | Common;
    const ContextGroups ShrinkerReads = ContextGroups.Request | ContextGroups.Shrinker | ContextGroups.Scan | Common;
    const ContextGroups KswapdReads = ContextGroups.Zone | ContextGroups.Kswapd | Common;
    const ContextGroups SwapReads = ContextGroups.Swap | ContextGroups.Vm | ContextGroups.Clock;
    const ContextGroups XfsReads = ContextGroups.Request | Common;

    public static IReadOnlyList<HookDescriptor> All { get; } =
    [
        new(HookId.GfpWakeKswapd, PolicySection.Gfp, "wake_kswapd", PolicyType.Bool, GfpReads,
            "__alloc_pages_slowpath → wake_all_kswapd", "Whether entering the slow path wakes kswapd on the zonelist's zones."),
        new(HookId.GfpMayReclaim, PolicySection.Gfp, "may_reclaim", PolicyType.Bool, GfpReads,
            "__alloc_pages_slowpath (wait)", "Whether the allocation may sleep and enter direct compaction and reclaim."),
        new(HookId.GfpMayCompact, PolicySection.Gfp, "may_compact", PolicyType.Bool, GfpReads,
            "try_to_compact_pages", "Whether direct compaction is attempted (it still needs compaction_suitable)."),
        new(HookId.GfpMayEnterFs, PolicySection.Gfp, "may_enter_fs", PolicyType.Bool, GfpReads,
            "shrink_page_list (may_enter_fs)", "Whether reclaim on behalf of this allocation may call into filesystems (write dirty file pages)."),
        new(HookId.GfpMayIo, PolicySection.Gfp, "may_io", PolicyType.Bool, GfpReads,
            "shrink_page_list (swap writeout)", "Whether reclaim on behalf of this allocation may start IO, such as swap writeout."),
        new(HookId.GfpMaySwap, PolicySection.Gfp, "may_swap", PolicyType.Bool, GfpReads,
            "scan_control.may_swap", "Whether direct reclaim may swap anonymous pages out."),
        new(HookId.GfpMayOom, PolicySection.Gfp, "may_oom", PolicyType.Bool, GfpReads,
            "__alloc_pages_may_oom", "Whether the OOM killer may be invoked when reclaim made no progress."),
        new(HookId.GfpShouldRetry, PolicySection.Gfp, "should_retry", PolicyType.Bool, GfpReads,
            "should_alloc_retry", "Whether the slow path loops again after reclaim failed to satisfy the request."),
        new(HookId.GfpRetryWait, PolicySection.Gfp, "retry_wait", PolicyType.Duration, GfpReads,
            "wait_iff_congested", "How long the allocator sleeps before retrying."),

        new(HookId.ReclaimScanAnon, PolicySection.Reclaim, "scan_anon", PolicyType.Bool, ReclaimReads,
            "get_scan_count", "Whether the anon LRU lists are scanned."),
        new(HookId.ReclaimScanFile, PolicySection.Reclaim, "scan_file", PolicyType.Bool, ReclaimReads,
            "get_scan_count", "Whether the file LRU lists are scanned."),
        new(HookId.ReclaimSwappiness, PolicySection.Reclaim, "swappiness", PolicyType.Count, ReclaimReads,
            "get_scan_count", "Relative weight of anon scanning against file scanning (0-200)."),
        new(HookId.ReclaimSkipCompactionReadyZone, PolicySection.Reclaim, "skip_compaction_ready_zone", PolicyType.Bool, ReclaimReads,
            "shrink_zones → compaction_ready", "Whether direct reclaim skips a zone that has enough free memory for compaction to work."),
        new(HookId.ReclaimShrinkSlab, PolicySection.Reclaim, "shrink_slab", PolicyType.Bool, ReclaimReads,
            "do_try_to_free_pages → shrink_slab", "Whether direct reclaim calls shrink_slab after each pass over the zones."),
        new(HookId.ReclaimProgress, PolicySection.Reclaim, "progress", PolicyType.Bool, ReclaimReads,
            "do_try_to_free_pages (return)", "Whether a direct reclaim that freed nothing still reports progress (so the caller retries rather than OOMs)."),

        new(HookId.ShrinkerAction, PolicySection.Shrinker, "action", PolicyType.ShrinkAction, ShrinkerReads,
            "shrink_slab_node / super_cache_scan", "run: scan in batches; defer: scan nothing and add the work to nr_deferred (SHRINK_STOP); skip: neither."),
        new(HookId.ShrinkerBatch, PolicySection.Shrinker, "batch", PolicyType.Count, ShrinkerReads,
            "shrinker->batch", "Objects per scan_objects call (SHRINK_BATCH is 128; the superblock shrinker uses 1024)."),
        new(HookId.ShrinkerSeeks, PolicySection.Shrinker, "seeks", PolicyType.Count, ShrinkerReads,
            "shrinker->seeks", "Cost of recreating an object; the scan delta is divided by it (DEFAULT_SEEKS 2)."),
        new(HookId.ShrinkerScanBelowBatch, PolicySection.Shrinker, "scan_below_batch", PolicyType.Bool, ShrinkerReads,
            "shrink_slab_node loop condition", "Whether a total below one batch is still scanned (when it covers every freeable object)."),
        new(HookId.ShrinkerScanByPriority, PolicySection.Shrinker, "scan_by_priority", PolicyType.Bool, ShrinkerReads,
            "do_shrink_slab's delta", "Whether the new work is the freeable objects >> reclaim priority (x 4 / seeks, 9092c71bb724) rather than in proportion to the LRU pages scanned (4 x nr_scanned / seeks x freeable / lru_pages)."),

        new(HookId.KswapdWake, PolicySection.Kswapd, "wake", PolicyType.Bool, KswapdReads,
            "wakeup_kswapd", "Whether an allocation's wake-up request actually wakes the sleeping kswapd for this zone and order."),
        new(HookId.KswapdZoneBalanced, PolicySection.Kswapd, "zone_balanced", PolicyType.Bool, KswapdReads,
            "kswapd_shrink_zone → zone_balanced", "Whether balance_pgdat considers the zone balanced, and so skips LRU and slab reclaim in it."),
        new(HookId.KswapdShrinkSlab, PolicySection.Kswapd, "shrink_slab", PolicyType.Bool, KswapdReads,
            "kswapd_shrink_zone → shrink_slab", "Whether kswapd calls shrink_slab after reclaiming an unbalanced zone's LRUs."),
        new(HookId.KswapdShrinkSlabWhenBalanced, PolicySection.Kswapd, "shrink_slab_when_balanced", PolicyType.Bool, KswapdReads,
            "(not in 3.13)", "Whether kswapd calls shrink_slab for a zone it found balanced, to take work other callers deferred."),
        new(HookId.KswapdCompact, PolicySection.Kswapd, "compact", PolicyType.Bool, KswapdReads,
            "balance_pgdat → compact_pgdat", "Whether kswapd compacts the node at the end of a balancing pass."),
        new(HookId.KswapdSleep, PolicySection.Kswapd, "sleep", PolicyType.Bool, KswapdReads,
            "prepare_kswapd_sleep", "Whether kswapd goes back to sleep after a balancing pass."),

        new(HookId.SwapSkipLowestBit, PolicySection.Swap, "skip_lowest_bit", PolicyType.Bool, SwapReads,
            "scan_swap_map (wrap-around loop)", "The 3.13 bug: the wrap-around scan pre-increments its offset and never looks at swap_map[lowest_bit]."),
        new(HookId.SwapScanFullDevice, PolicySection.Swap, "scan_full_device", PolicyType.Bool, SwapReads,
            "get_swap_page", "Whether get_swap_page scans a device with no free slot (before 18ab4d4ced08 full devices stayed on the list)."),
        new(HookId.SwapReclaimCacheSlots, PolicySection.Swap, "reclaim_cache_slots", PolicyType.Bool, SwapReads,
            "scan_swap_map → __try_to_reclaim_swap (vm_swap_full)", "Whether scan_swap_map frees slots held only by the swap cache as it passes them."),

        new(HookId.XfsKmemRetryWait, PolicySection.Xfs, "kmem_retry_wait", PolicyType.Duration, XfsReads,
            "kmem_alloc → congestion_wait", "How long kmem_alloc sleeps after a failed kmalloc before trying again."),
        new(HookId.XfsKmemFallbackOrder0, PolicySection.Xfs, "kmem_fallback_order0", PolicyType.Bool, XfsReads,
            "kmem_alloc_large / kvmalloc", "Whether a failed multi-page kmem_alloc falls back to order-0 pages (vmalloc) instead of looping."),
        new(HookId.XfsDeadlockWarnEvery, PolicySection.Xfs, "deadlock_warn_every", PolicyType.Count, XfsReads,
            "kmem_alloc", "Print 'possible memory allocation deadlock' every this many failed attempts."),
        new(HookId.XfsLvAllocOutsideCilLock, PolicySection.Xfs, "lv_alloc_outside_cil_lock", PolicyType.Bool, ContextGroups.None,
            "xfs_log_commit_cil → xlog_cil_alloc_shadow_bufs", "Whether a commit allocates its log-vector buffers before it takes xc_ctx_lock for read (b1c5ebb21301), so that one looping in kmem_alloc no longer holds up a CIL push and the log forces waiting on it. A fact of the code, so it reads no context; it matters with the scenario's xfs-log-force."),
    ];

    static readonly HookDescriptor[] ById = All.OrderBy(h => h.Id).ToArray();

    public static HookDescriptor Get(HookId id) => ById[(int)id];

    public static HookDescriptor? Find(PolicySection section, string name) =>
        All.FirstOrDefault(h => h.Section == section && h.Name == name);

    public static string SectionName(PolicySection section) => section switch
    {
        PolicySection.Gfp => "gfp",
        PolicySection.Reclaim => "reclaim",
        PolicySection.Shrinker => "shrinker",
        PolicySection.Kswapd => "kswapd",
        PolicySection.Swap => "swap",
        PolicySection.Xfs => "xfs",
        _ => throw new ArgumentOutOfRangeException(nameof(section)),
    };

    public static bool TryParseSection(string text, out PolicySection section)
    {
        foreach (var s in Enum.GetValues<PolicySection>())
            if (SectionName(s) == text) { section = s; return true; }
        section = default;
        return false;
    }
}
