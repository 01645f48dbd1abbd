using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Tests.Policies;

/// <summary>
/// The Linux 3.13 rules written by hand in C#, each citing the kernel code it stands for. The tests
/// run the machine with it, and it is the baseline the compiled policies/linux-3.13.rpol must match.
/// </summary>
public static class Linux313Handwritten
{
    public const string Name = "linux-3.13-handwritten";

    public static PolicyTable Build(Action<PolicyTableBuilder>? change = null)
    {
        var b = new PolicyTableBuilder(Name);
        static RuleOrigin At(string site, string text) => new(Name, site, 0, 0, text);

        // gfp: __alloc_pages_slowpath (mm/page_alloc.c)
        b.Set(HookId.GfpWakeKswapd, (PolicyHook<bool>)((in HookContext c) => (c.Request.Gfp & Gfp.NO_KSWAPD) == 0),
            At("mm/page_alloc.c: __alloc_pages_slowpath", "if (!(gfp_mask & __GFP_NO_KSWAPD)) wake_all_kswapd(...)"));
        b.Set(HookId.GfpMayReclaim, (PolicyHook<bool>)((in HookContext c) => (c.Request.Gfp & Gfp.WAIT) != 0),
            At("mm/page_alloc.c: __alloc_pages_slowpath", "wait = gfp_mask & __GFP_WAIT; if (!wait) goto nopage"));
        b.Set(HookId.GfpMayCompact, (PolicyHook<bool>)((in HookContext c) =>
                c.Request.Order > 0 && (c.Request.Gfp & Gfp.FS) != 0 && (c.Request.Gfp & Gfp.IO) != 0),
            At("mm/compaction.c: try_to_compact_pages", "if (!order || !may_enter_fs || !may_perform_io) return rc"));
        b.Set(HookId.GfpMayEnterFs, (PolicyHook<bool>)((in HookContext c) => (c.Request.Gfp & Gfp.FS) != 0),
            At("mm/vmscan.c: shrink_page_list", "may_enter_fs = (sc->gfp_mask & __GFP_FS)"));
        b.Set(HookId.GfpMayIo, (PolicyHook<bool>)((in HookContext c) => (c.Request.Gfp & Gfp.IO) != 0),
            At("mm/vmscan.c: shrink_page_list", "if (!(sc->gfp_mask & __GFP_IO)) goto keep_locked"));
        b.Set(HookId.GfpMaySwap, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/vmscan.c: try_to_free_pages", ".may_swap = 1"));
        b.Set(HookId.GfpMayOom, (PolicyHook<bool>)((in HookContext c) =>
                (c.Request.Gfp & Gfp.FS) != 0 && (c.Request.Gfp & Gfp.NORETRY) == 0
                && ((c.Request.Gfp & Gfp.NOFAIL) != 0 || c.Request.Order <= 3)),
            At("mm/page_alloc.c: __alloc_pages_slowpath", "if (oom_gfp_allowed(gfp_mask)) { if (order > PAGE_ALLOC_COSTLY_ORDER) goto nopage; ... }"));
        b.Set(HookId.GfpShouldRetry, (PolicyHook<bool>)((in HookContext c) =>
                (c.Request.Gfp & Gfp.NORETRY) == 0
                && ((c.Request.Gfp & Gfp.NOFAIL) != 0
                    || c.Request.Order <= 3
                    || ((c.Request.Gfp & Gfp.REPEAT) != 0 && c.Request.TotalReclaimed < (1L << (int)c.Request.Order)))),
            At("mm/page_alloc.c: should_alloc_retry", "order <= PAGE_ALLOC_COSTLY_ORDER: retry forever; __GFP_REPEAT until 1 << order pages reclaimed"));
        // wait_iff_congested sleeps only while a device is congested and the zone is ZONE_CONGESTED;
        // nothing here congests a device, so it only calls cond_resched().
        b.Set(HookId.GfpRetryWait, (PolicyHook<long>)((in HookContext c) => 0L),
            At("mm/page_alloc.c: __alloc_pages_slowpath", "wait_iff_congested(preferred_zone, BLK_RW_ASYNC, HZ/50)"));

        // reclaim: mm/vmscan.c
        b.Set(HookId.ReclaimScanAnon, (PolicyHook<bool>)((in HookContext c) => c.Swap.Free > 0),
            At("mm/vmscan.c: get_scan_count", "if (!sc->may_swap || (get_nr_swap_pages() <= 0)) scan_balance = SCAN_FILE"));
        b.Set(HookId.ReclaimScanFile, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/vmscan.c: get_scan_count", "file lists are always eligible"));
        b.Set(HookId.ReclaimSwappiness, (PolicyHook<long>)((in HookContext c) => c.Vm.Swappiness),
            At("mm/vmscan.c: vmscan_swappiness", "return vm_swappiness"));
        b.Set(HookId.ReclaimSkipCompactionReadyZone, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/vmscan.c: shrink_zones", "if (compaction_ready(zone, sc)) { aborted_reclaim = true; continue; } — whatever the caller's gfp"));
        b.Set(HookId.ReclaimShrinkSlab, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/vmscan.c: do_try_to_free_pages", "if (global_reclaim(sc)) shrink_slab(shrink, sc->nr_scanned, lru_pages)"));
        b.Set(HookId.ReclaimProgress, (PolicyHook<bool>)((in HookContext c) => !c.Node.AllUnreclaimable),
            At("mm/vmscan.c: do_try_to_free_pages", "if (global_reclaim(sc) && !all_unreclaimable(zonelist, sc)) return 1"));

        // kswapd: mm/vmscan.c
        b.Set(HookId.KswapdWake, (PolicyHook<bool>)((in HookContext c) =>
                !c.Zone.WatermarkOk(c.Zone.High, c.Kswapd.Order) || (c.Kswapd.Order > 0 && !c.Zone.CompactionSuitable(c.Kswapd.Order))),
            At("mm/vmscan.c: wakeup_kswapd", "if (zone_balanced(zone, order, 0, 0)) return"));
        b.Set(HookId.KswapdZoneBalanced, (PolicyHook<bool>)((in HookContext c) =>
                (c.Kswapd.Order == 0 || c.Zone.CompactionSuitable(c.Kswapd.Order))
                && c.Zone.WatermarkOk(c.Zone.High + c.Zone.BalanceGap, 0)),
            At("mm/vmscan.c: kswapd_shrink_zone", "testorder = 0 when compaction_suitable; if (zone_balanced(zone, testorder, balance_gap, classzone_idx)) return true"));
        b.Set(HookId.KswapdShrinkSlab, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/vmscan.c: kswapd_shrink_zone", "shrink_zone(zone, sc); shrink_slab(&shrink, sc->nr_scanned, lru_pages)"));
        b.Set(HookId.KswapdShrinkSlabWhenBalanced, (PolicyHook<bool>)((in HookContext c) => false),
            At("mm/vmscan.c: kswapd_shrink_zone", "a balanced zone returns before shrink_slab"));
        b.Set(HookId.KswapdCompact, (PolicyHook<bool>)((in HookContext c) => c.Kswapd.Order > 0 && c.Kswapd.Reclaimed > 0),
            At("mm/vmscan.c: balance_pgdat", "if (pgdat_needs_compaction && sc.nr_reclaimed > nr_attempted) compact_pgdat(pgdat, order)"));
        b.Set(HookId.KswapdSleep, (PolicyHook<bool>)((in HookContext c) =>
                c.Kswapd.Order > 0 ? c.Node.BalancedPercent >= 25 : c.Node.BalancedPercent >= 100),
            At("mm/vmscan.c: prepare_kswapd_sleep → pgdat_balanced", "order > 0: balanced zones hold 25% of the node; order 0: every zone balanced"));

        // swap: mm/swapfile.c
        b.Set(HookId.SwapSkipLowestBit, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/swapfile.c: scan_swap_map", "offset = si->lowest_bit; while (++offset < scan_base)"));
        b.Set(HookId.SwapScanFullDevice, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/swapfile.c: get_swap_page", "full devices stay on swap_list"));
        b.Set(HookId.SwapReclaimCacheSlots, (PolicyHook<bool>)((in HookContext c) => true),
            At("mm/swapfile.c: scan_swap_map", "if (vm_swap_full() && si->swap_map[offset] == SWAP_HAS_CACHE) __try_to_reclaim_swap"));

        // xfs: fs/xfs/kmem.c
        b.Set(HookId.XfsKmemRetryWait, (PolicyHook<long>)((in HookContext c) => 20_000_000L),
            At("fs/xfs/kmem.c: kmem_alloc", "congestion_wait(BLK_RW_ASYNC, HZ/50)"));
        b.Set(HookId.XfsKmemFallbackOrder0, (PolicyHook<bool>)((in HookContext c) => false),
            At("fs/xfs/kmem.c: kmem_alloc", "loops on kmalloc; no vmalloc fallback"));
        b.Set(HookId.XfsDeadlockWarnEvery, (PolicyHook<long>)((in HookContext c) => 100L),
            At("fs/xfs/kmem.c: kmem_alloc", "if (!(++retries % 100)) xfs_err(... possible memory allocation deadlock ...)"));
        b.Set(HookId.XfsLvAllocOutsideCilLock, (PolicyHook<bool>)((in HookContext c) => false),
            At("fs/xfs/xfs_log_cil.c: xfs_log_commit_cil", "down_read(&cil->xc_ctx_lock) before xlog_cil_insert_items formats and allocates"));

        // A test's changes come before the shrinker sections, so that its sections are the more specific.
        change?.Invoke(b);

        // shrinkers: fs/super.c and mm/vmscan.c
        b.AddShrinkerSection("sb-*",
            new Dictionary<HookId, Delegate>
            {
                [HookId.ShrinkerAction] = (PolicyHook<ShrinkAction>)((in HookContext c) => (c.Request.Gfp & Gfp.FS) != 0 ? ShrinkAction.Run : ShrinkAction.Defer),
                [HookId.ShrinkerBatch] = (PolicyHook<long>)((in HookContext c) => 1024L),
            },
            new Dictionary<HookId, RuleOrigin>
            {
                [HookId.ShrinkerAction] = At("fs/super.c: super_cache_scan", "if (!(sc->gfp_mask & __GFP_FS)) return SHRINK_STOP"),
                [HookId.ShrinkerBatch] = At("fs/super.c: alloc_super", "s->s_shrink.batch = 1024"),
            });
        b.AddShrinkerSection("*",
            new Dictionary<HookId, Delegate>
            {
                [HookId.ShrinkerAction] = (PolicyHook<ShrinkAction>)((in HookContext c) => ShrinkAction.Run),
                [HookId.ShrinkerBatch] = (PolicyHook<long>)((in HookContext c) => 128L),
                [HookId.ShrinkerSeeks] = (PolicyHook<long>)((in HookContext c) => 2L),
                [HookId.ShrinkerScanBelowBatch] = (PolicyHook<bool>)((in HookContext c) => false),
                [HookId.ShrinkerScanByPriority] = (PolicyHook<bool>)((in HookContext c) => false),
            },
            new Dictionary<HookId, RuleOrigin>
            {
                [HookId.ShrinkerAction] = At("mm/vmscan.c: shrink_slab_node", "freed = shrinker->scan_objects(shrinker, shrinkctl)"),
                [HookId.ShrinkerBatch] = At("mm/vmscan.c: shrink_slab_node", "batch_size = shrinker->batch ? : SHRINK_BATCH"),
                [HookId.ShrinkerSeeks] = At("include/linux/shrinker.h", "DEFAULT_SEEKS 2"),
                [HookId.ShrinkerScanBelowBatch] = At("mm/vmscan.c: shrink_slab_node", "while (total_scan >= batch_size)"),
                [HookId.ShrinkerScanByPriority] = At("mm/vmscan.c: shrink_slab_node", "delta = (4 * nr_pages_scanned) / shrinker->seeks"),
            });
        return b.Build();
    }
}
