using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Mm;

/// <summary>A request's progress through __alloc_pages_slowpath, kept by the task across retries.</summary>
internal struct AllocAttempt
{
    public int Retries;
    public long LastProgress;
    public long PagesReclaimed;
    /// <summary>Set when the result is <see cref="PageAllocator.Wait"/>: how long to sleep before calling again.</summary>
    public long WaitNs;
    public bool IsKswapd;
    /// <summary>sync_migration: the first direct compaction of a request is async, every later one sync.</summary>
    public bool SyncCompaction;

    public void Reset() => this = default;
}

/// <summary>
/// __alloc_pages_nodemask and __alloc_pages_slowpath of Linux 3.13 (mm/page_alloc.c). Every decision
/// that later kernels changed is a policy hook; the mechanism (zonelist walk, watermark tests, the
/// order of compaction, reclaim, OOM and retry) is the kernel's.
/// </summary>
internal sealed class PageAllocator(Kernel k)
{
    /// <summary>The allocation failed (the caller sees NULL).</summary>
    public const int Failed = -1;
    /// <summary>The slow path wants to sleep and loop (should_alloc_retry): call again after <see cref="AllocAttempt.WaitNs"/>.</summary>
    public const int Wait = -2;

    enum Mark { Min, Low, High }

    long failingOrder = -1, failingAt = long.MinValue;

    /// <summary>node.failing_order: the highest order that failed its LOW watermark test in the last second.</summary>
    public long FailingOrder(long now) => now - failingAt <= 1_000_000_000 ? failingOrder : -1;

    /// <summary>
    /// Allocates 2^order pages for <paramref name="state"/>. Returns the first pfn, <see cref="Failed"/>
    /// or <see cref="Wait"/>. The caller keeps <paramref name="attempt"/> across Wait results.
    /// </summary>
    public int AllocPages(Gfp gfp, int order, PageState state, int owner, ref AllocAttempt attempt, long size = 0)
    {
        k.Cpu.Charge(Symbol.GetPageFromFreelist, k.Scenario.CostAllocFastNs);
        // The zonelist of the running task's node; its first zone is the preferred zone.
        var zonelist = k.CurrentNode.Zonelist;
        int classzone = zonelist[0].Index;
        // The fair zone allocation policy (81c0a2bb515f, 3.12): the fast path hands out pages
        // round-robin over the node's zones, each in proportion to its size, so that pages age alike
        // in every zone; a zone whose batch is used up is passed over until the slow path starts a
        // new round. In 3.13 it covers every fast-path allocation, slab pages included: 73f038b863df
        // limited it to reclaimable and movable ones, and was reverted before the release.
        // The same pass is what keeps the fast path on the local node: with ALLOC_WMARK_LOW,
        // get_page_from_freelist passes over every zone of another node (fff4068cba48), so in 3.13
        // an allocation reaches remote nodes only in the slow path, after waking the kswapds
        // (3a025760fc15 changed that in 3.14).
        var type = Buddy.MigrateTypeOf(gfp);
        int pfn = GetPageFromFreelist(zonelist, order, Mark.Low, Reserves.None, classzone, type, ColdOf(gfp), localOnly: true, fair: k.Scenario.FairZonePolicy);
        if (pfn >= 0)
            return Take(pfn, order, state, owner, ref attempt);
        NoteFailure(order);
        return Slowpath(zonelist, gfp, order, state, owner, ref attempt, size == 0 ? PolicyTypes.PageSize << order : size, classzone);
    }

    int Slowpath(Zone[] zonelist, Gfp gfp, int order, PageState state, int owner, ref AllocAttempt attempt, long size, int classzone)
    {
        k.Cpu.Charge(Symbol.AllocPagesSlowpath, k.Scenario.CostAllocSlowNs);
        FillRequest(gfp, order, size, ref attempt);

        // restart: prepare_slowpath wakes the kswapd of every zone's node along the zonelist and
        // starts a new round of the fair policy's batches in the local zones (not again on a
        // should_alloc_retry loop).
        if (attempt.Retries == 0 && k.Policy.GfpWakeKswapd(in k.Ctx))
            foreach (var zone in zonelist)
            {
                k.Kswapds[zone.NodeId].Wakeup(zone, order, classzone);
                if (zone.NodeId == zonelist[0].NodeId)
                    zone.ResetAllocBatch();
            }

        // ALLOC_WMARK_MIN, less the reserves the request may use, along the whole zonelist.
        var reserves = ReservesOf(gfp);
        var type = Buddy.MigrateTypeOf(gfp);
        int pfn = GetPageFromFreelist(zonelist, order, Mark.Min, reserves, classzone, type, ColdOf(gfp));
        if (pfn >= 0)
            return Take(pfn, order, state, owner, ref attempt);

        // No __GFP_WAIT, or PF_MEMALLOC (kswapd itself): no reclaim.
        FillRequest(gfp, order, size, ref attempt);
        if (attempt.IsKswapd || !k.Policy.GfpMayReclaim(in k.Ctx))
            return Fail(ref attempt);

        // __alloc_pages_direct_compact: async the first time through, sync on every pass after.
        pfn = DirectCompact(zonelist, order, reserves, classzone, type, attempt.SyncCompaction);
        attempt.SyncCompaction = true;
        if (pfn >= 0)
            return Take(pfn, order, state, owner, ref attempt);

        // __alloc_pages_direct_reclaim.
        FillRequest(gfp, order, size, ref attempt);
        long progress = k.Reclaim.TryToFreePages(gfp, order, size);
        if (k.Scheduler.CurrentBlocked)
        {
            // Asleep inside reclaim (a shrinker waiting on a log force): the allocation goes on when woken.
            attempt.WaitNs = SimTask.Blocked;
            return Wait;
        }
        pfn = GetPageFromFreelist(zonelist, order, Mark.Min, reserves, classzone, type, ColdOf(gfp));
        if (pfn < 0 && DrainAllPages())
            // The pages may be pinned on the per-cpu lists: drain them and retry once.
            pfn = GetPageFromFreelist(zonelist, order, Mark.Min, reserves, classzone, type, ColdOf(gfp));
        if (pfn >= 0)
            return Take(pfn, order, state, owner, ref attempt);

        attempt.LastProgress = progress;
        if (progress == 0)
        {
            FillRequest(gfp, order, size, ref attempt);
            if (k.Policy.GfpMayOom(in k.Ctx))
            {
                // __alloc_pages_may_oom, then goto restart.
                if (!k.Processes.OomKill(gfp, order))
                    return Fail(ref attempt);
                attempt.Retries = 0;
                attempt.WaitNs = 0;
                return Wait;
            }
        }

        attempt.PagesReclaimed += progress;
        FillRequest(gfp, order, size, ref attempt);
        if (k.Policy.GfpShouldRetry(in k.Ctx))
        {
            attempt.WaitNs = Math.Max(0, k.Policy.GfpRetryWait(in k.Ctx));
            attempt.Retries++;
            return Wait;
        }

        // A high order does not loop, so compaction gets a last (sync) go after the reclaim.
        pfn = DirectCompact(zonelist, order, reserves, classzone, type, attempt.SyncCompaction);
        if (pfn >= 0)
            return Take(pfn, order, state, owner, ref attempt);
        return Fail(ref attempt);
    }

    /// <summary>
    /// __alloc_pages_direct_compact: unless compaction is deferred in the preferred zone, compact the
    /// zonelist, drain this CPU's per-cpu lists (where migration freed the old frames), then try the
    /// whole zonelist at the slow path's MIN watermark. A success resets the
    /// preferred zone's back-off; a sync compaction that leaves the request failing defers it.
    /// </summary>
    int DirectCompact(Zone[] zonelist, int order, Reserves reserves, int classzone, MigrateType type, bool sync)
    {
        // The request is in the context already: the slow path filled it for its last question.
        if (order == 0 || !k.Policy.GfpMayCompact(in k.Ctx))
            return -1;
        var preferred = zonelist[0];
        if (preferred.CompactionDeferred(order))
            return -1;
        if (k.Compaction.TryToCompactPages(zonelist, order, sync, type) == CompactResult.Skipped)
            return -1;
        // "Page migration frees to the PCP lists but we want merging": drain this CPU's lists.
        DrainLocalPages();
        int pfn = GetPageFromFreelist(zonelist, order, Mark.Min, reserves, classzone, type, cold: false);
        if (pfn >= 0)
        {
            preferred.CompactBlockskipFlush = false;
            preferred.CompactionDeferReset(order);
            k.Counters.Count(VmEvent.CompactSuccess);
            return pfn;
        }
        k.Counters.Count(VmEvent.CompactFail);
        if (sync)
            preferred.DeferCompaction(order);
        return -1;
    }

    void FillRequest(Gfp gfp, int order, long size, ref AllocAttempt attempt)
    {
        k.FillCommon();
        k.FillZone(k.HighestZone, order);
        k.FillRequest(gfp, order, size, attempt.IsKswapd);
        k.Ctx.Request.Retries = attempt.Retries;
        k.Ctx.Request.Reclaimed = attempt.LastProgress;
        k.Ctx.Request.TotalReclaimed = attempt.PagesReclaimed;
    }

    int Take(int pfn, int order, PageState state, int owner, ref AllocAttempt attempt)
    {
        Buddy.MarkAllocated(k.Frames, pfn, order, state, owner);
        attempt.Reset();
        return pfn;
    }

    static int Fail(ref AllocAttempt attempt)
    {
        attempt.Reset();
        return Failed;
    }

    void NoteFailure(int order)
    {
        if (k.Now - failingAt > 1_000_000_000 || order > failingOrder)
            failingOrder = order;
        failingAt = k.Now;
    }

    /// <summary>
    /// The reserves below MIN that gfp_to_alloc_flags opens to the slow path: ALLOC_HIGH for
    /// __GFP_HIGH, and ALLOC_HARDER for an atomic request (no __GFP_WAIT) that does not say
    /// __GFP_NOMEMALLOC. GFP_ATOMIC gets both.
    /// </summary>
    [Flags]
    enum Reserves { None = 0, High = 1, Harder = 2 }

    static Reserves ReservesOf(Gfp gfp) =>
        ((gfp & Gfp.HIGH) != 0 ? Reserves.High : Reserves.None)
        | ((gfp & (Gfp.WAIT | Gfp.NOMEMALLOC)) == 0 ? Reserves.Harder : Reserves.None);

    /// <summary>
    /// get_page_from_freelist: the first zone of the zonelist that passes the watermark test gives the
    /// block. Zones above the request's highest zone type are not eligible; the preferred zone's index
    /// (<paramref name="classzone"/>) decides the lowmem reserve a lower zone keeps. The fast path's
    /// pass (<paramref name="localOnly"/>) passes over other nodes' zones and, with the fair policy,
    /// local zones whose batch is used up.
    /// </summary>
    int GetPageFromFreelist(Zone[] zonelist, int order, Mark mark, Reserves reserves, int classzone, MigrateType type, bool cold,
        bool localOnly = false, bool fair = false)
    {
        int localNode = zonelist[0].NodeId;
        foreach (var zone in zonelist)
        {
            if (zone.Index > k.HighZoneIdx || (localOnly && zone.NodeId != localNode) || (fair && zone.AllocBatch <= 0))
                continue;
            long wm = mark switch { Mark.Min => zone.MinWmark, Mark.Low => zone.LowWmark, _ => zone.HighWmark };
            // __zone_watermark_ok: "min -= min / 2" for ALLOC_HIGH, then "min -= min / 4" for ALLOC_HARDER.
            if ((reserves & Reserves.High) != 0)
                wm -= wm / 2;
            if ((reserves & Reserves.Harder) != 0)
                wm -= wm / 4;
            if (!zone.WatermarkOk(order, wm, classzone))
                continue;
            int pfn = BufferedRmqueue(zone, order, type, cold);
            if (pfn >= 0)
                return pfn;
        }
        return -1;
    }

    /// <summary>__GFP_COLD: the request takes a page from the tail of a per-cpu list, not its head.</summary>
    static bool ColdOf(Gfp gfp) => (gfp & Gfp.COLD) != 0;

    /// <summary>
    /// buffered_rmqueue: an order-0 page from the running CPU's per-cpu list when the zone has them,
    /// anything else from the buddy lists. Either way the page counts against the fair policy's batch.
    /// </summary>
    int BufferedRmqueue(Zone zone, int order, MigrateType type, bool cold)
    {
        if (order > 0 || zone.Pcp is not { } pcp)
            return Buddy.Rmqueue(k.Frames, zone, order, type);
        int pfn = pcp.Alloc(k.Frames, zone, k.CurrentCpu, type, cold);
        if (pfn >= 0)
            zone.AllocBatch--;
        return pfn;
    }

    /// <summary>drain_all_pages: every CPU's per-cpu lists in every zone back to the buddy lists. False without the lists.</summary>
    public bool DrainAllPages()
    {
        if (k.Zones[0].Pcp is null)
            return false;
        foreach (var zone in k.Zones)
            zone.Pcp!.Drain(k.Frames, zone);
        return true;
    }

    /// <summary>drain_pages(this CPU): the running CPU's per-cpu lists in every zone back to the buddy lists.</summary>
    public void DrainLocalPages()
    {
        foreach (var zone in k.Zones)
            zone.Pcp?.Drain(k.Frames, zone, k.CurrentCpu);
    }

    /// <summary>Takes a block ignoring watermarks (boot-time and set-up helpers) along the running task's zonelist; -1 if none.</summary>
    public int AllocNoWatermarks(int order, PageState state, int owner)
    {
        foreach (var zone in k.CurrentNode.Zonelist)
        {
            int pfn = Buddy.Rmqueue(k.Frames, zone, order, MigrateType.Unmovable);
            if (pfn >= 0)
            {
                Buddy.MarkAllocated(k.Frames, pfn, order, state, owner);
                return pfn;
            }
        }
        return -1;
    }

    /// <summary>__free_pages: an order-0 page goes to the running CPU's per-cpu list, when the zone has them; any other block back to its zone's buddy lists.</summary>
    public void FreePages(int pfn, int order)
    {
        if (order == 0)
            FreePage(pfn, cold: false);
        else
            Buddy.FreeOnePage(k.Frames, k.ZoneOf(pfn), pfn, order);
    }

    /// <summary>
    /// free_hot_cold_page: an order-0 page to the head of the running CPU's per-cpu list, or its tail
    /// when it is cold (what reclaim frees: shrink_page_list frees its pages cold). Without the lists,
    /// straight back to the buddy lists.
    /// </summary>
    public void FreePage(int pfn, bool cold)
    {
        var zone = k.ZoneOf(pfn);
        if (zone.Pcp is { } pcp)
            pcp.Free(k.Frames, zone, k.CurrentCpu, pfn, cold);
        else
            Buddy.FreeOnePage(k.Frames, zone, pfn, 0);
    }
}
