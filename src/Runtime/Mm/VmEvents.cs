namespace Policyc.Runtime.Mm;

/// <summary>
/// The /proc/vmstat event counters (enum vm_event_item) that tell a reclaim story, counted where 3.13
/// counts them. The kernel keeps pgscan and pgsteal per zone type (pgscan_direct_normal, …); here
/// they are summed over the zones, as kernels since 4.8 print them.
/// </summary>
public enum VmEvent
{
    /// <summary>do_try_to_free_pages: a direct reclaim (an allocation stalled in reclaim).</summary>
    AllocStall,
    /// <summary>shrink_inactive_list: inactive LRU pages isolated by kswapd.</summary>
    PgscanKswapd,
    /// <summary>The same, by direct reclaim.</summary>
    PgscanDirect,
    /// <summary>shrink_inactive_list: pages kswapd freed from the inactive lists.</summary>
    PgstealKswapd,
    /// <summary>The same, by direct reclaim.</summary>
    PgstealDirect,
    /// <summary>shrink_slab_node: objects handed to shrinkers' scan_objects, batch by batch (work deferred is not counted).</summary>
    SlabsScanned,
    /// <summary>balance_pgdat: kswapd balancing passes.</summary>
    PageOutRun,
    /// <summary>__alloc_pages_direct_compact: an allocation that ran direct compaction.</summary>
    CompactStall,
    /// <summary>The same, which got no page from it.</summary>
    CompactFail,
    /// <summary>The same, which got its page.</summary>
    CompactSuccess,
    /// <summary>swap_readpage: pages read from swap (faults and readahead).</summary>
    PswpIn,
    /// <summary>swap_writepage: anon pages written to swap by reclaim.</summary>
    PswpOut,
}

public static class VmEvents
{
    public static readonly int Count = Enum.GetValues<VmEvent>().Length;

    /// <summary>The name /proc/vmstat gives the counter.</summary>
    public static string Name(VmEvent e) => e switch
    {
        VmEvent.AllocStall => "allocstall",
        VmEvent.PgscanKswapd => "pgscan_kswapd",
        VmEvent.PgscanDirect => "pgscan_direct",
        VmEvent.PgstealKswapd => "pgsteal_kswapd",
        VmEvent.PgstealDirect => "pgsteal_direct",
        VmEvent.SlabsScanned => "slabs_scanned",
        VmEvent.PageOutRun => "pageoutrun",
        VmEvent.CompactStall => "compact_stall",
        VmEvent.CompactFail => "compact_fail",
        VmEvent.CompactSuccess => "compact_success",
        VmEvent.PswpIn => "pswpin",
        VmEvent.PswpOut => "pswpout",
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };
}
