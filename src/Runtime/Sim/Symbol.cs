namespace Policyc.Runtime.Sim;

/// <summary>The kernel functions CPU time is charged to, for the perf-style profile (self time).</summary>
public enum Symbol
{
    ScanSwapMap,
    ShrinkPageList,
    IsolateLruPages,
    ShrinkSlab,
    CompactZone,
    GetPageFromFreelist,
    AllocPagesSlowpath,
    KmemAlloc,
    BalancePgdat,
    XfsRemove,
    XfsCreate,
    DropSlab,
    DoSwapPage,
    ShrinkDcacheParent,
}

public static class Symbols
{
    public static readonly int Count = Enum.GetValues<Symbol>().Length;

    /// <summary>The name perf would print.</summary>
    public static string Name(Symbol s) => s switch
    {
        Symbol.ScanSwapMap => "scan_swap_map",
        Symbol.ShrinkPageList => "shrink_page_list",
        Symbol.IsolateLruPages => "isolate_lru_pages",
        Symbol.ShrinkSlab => "shrink_slab",
        Symbol.CompactZone => "compact_zone",
        Symbol.GetPageFromFreelist => "get_page_from_freelist",
        Symbol.AllocPagesSlowpath => "__alloc_pages_slowpath",
        Symbol.KmemAlloc => "kmem_alloc",
        Symbol.BalancePgdat => "balance_pgdat",
        Symbol.XfsRemove => "xfs_remove",
        Symbol.XfsCreate => "xfs_create",
        Symbol.DropSlab => "drop_slab",
        Symbol.DoSwapPage => "do_swap_page",
        Symbol.ShrinkDcacheParent => "shrink_dcache_parent",
        _ => s.ToString(),
    };
}
