using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Vmscan;

/// <summary>
/// Direct reclaim of Linux 3.13 (mm/vmscan.c): do_try_to_free_pages over priorities 12 to 0,
/// shrink_zones along the caller's zonelist (every node) with the "compaction ready" skip, and
/// shrink_slab for every node of the zonelist after each pass.
/// </summary>
internal sealed class Reclaim
{
    public const int DefPriority = 12;
    public const int SwapClusterMax = 32;
    public const int PageAllocCostlyOrder = 3;

    readonly Kernel k;
    readonly ScanState sc = new();
    Zone[] zonelist = [];
    public readonly LruScanner Lru;

    public Reclaim(Kernel k)
    {
        this.k = k;
        Lru = new LruScanner(k);
    }

    /// <summary>try_to_free_pages: returns did_some_progress (pages reclaimed, or 1 for "keep trying").</summary>
    public long TryToFreePages(Gfp gfp, int order, long size)
    {
        k.Counters.DirectReclaims++;
        k.Counters.Count(VmEvent.AllocStall);
        sc.Reset(gfp, order, SwapClusterMax, isKswapd: false);
        zonelist = k.CurrentNode.Zonelist;
        k.FillCommon();
        k.FillZone(k.HighestZone, order);
        k.FillRequest(gfp, order, size, false);
        sc.MaySwap = k.Policy.GfpMaySwap(in k.Ctx);
        sc.MayIo = k.Policy.GfpMayIo(in k.Ctx);
        sc.MayEnterFs = k.Policy.GfpMayEnterFs(in k.Ctx);
        return DoTryToFreePages(size);
    }

    long DoTryToFreePages(long size)
    {
        bool aborted = false;
        for (sc.Priority = DefPriority; sc.Priority >= 0; sc.Priority--)
        {
            sc.NrScanned = 0;
            aborted |= ShrinkZones(size);

            k.FillCommon();
            k.FillZone(k.HighestZone, sc.Order);
            k.FillRequest(sc.Gfp, sc.Order, size, false);
            k.Ctx.Scan = sc.ToContext();
            if (k.Policy.ReclaimShrinkSlab(in k.Ctx))
            {
                // nodes_to_scan: every node with a zone in the zonelist.
                long lruPages = 0;
                var nodes = new NodeMask(0);
                foreach (var z in zonelist)
                {
                    lruPages += z.ReclaimablePages(k.Swap.NrSwapPages);
                    nodes = nodes.With(z.NodeId);
                }
                sc.NrReclaimed += k.Shrinkers.ShrinkSlab(sc, sc.NrScanned, lruPages, size, nodes);
            }
            if (sc.NrReclaimed >= sc.NrToReclaim || k.Scheduler.CurrentBlocked)
                break;
            // 3.11 on: reclaim aborted for compaction does not go on to a higher priority
            // (`while (--sc->priority >= 0 && !aborted_reclaim)`); slab was shrunk once.
            if (aborted)
                break;
        }
        if (sc.NrReclaimed > 0)
            return sc.NrReclaimed;
        // Aborted reclaim to try compaction? don't OOM, then.
        if (aborted)
            return 1;
        k.FillCommon();
        k.FillZone(k.HighestZone, sc.Order);
        k.FillRequest(sc.Gfp, sc.Order, size, false);
        k.Ctx.Scan = sc.ToContext();
        return k.Policy.ReclaimProgress(in k.Ctx) ? 1 : 0;
    }

    /// <summary>shrink_zones: returns true if a zone was skipped because it is ready for compaction.</summary>
    bool ShrinkZones(long size)
    {
        bool aborted = false;
        foreach (var zone in zonelist)
        {
            if (sc.Priority != DefPriority && !zone.IsReclaimable(k.Swap.NrSwapPages))
                continue;
            if (CompactionReady(zone, sc.Order))
            {
                k.FillCommon();
                k.FillZone(zone, sc.Order);
                k.FillRequest(sc.Gfp, sc.Order, size, false);
                k.Ctx.Scan = sc.ToContext();
                if (k.Policy.ReclaimSkipCompactionReadyZone(in k.Ctx))
                {
                    zone.DirectReclaim.SkippedForCompaction++;
                    aborted = true;
                    continue;
                }
            }
            zone.DirectReclaim.Shrunk++;
            Lru.ShrinkZone(zone, sc, size);
        }
        return aborted;
    }

    /// <summary>
    /// compaction_ready: for a costly order, the zone has HIGH + balance gap + 2&lt;&lt;order free at
    /// order 0 and compaction is suitable (or deferred) — reclaim leaves it to compaction.
    /// </summary>
    public bool CompactionReady(Zone zone, int order)
    {
        if (order <= PageAllocCostlyOrder)
            return false;
        long watermark = Watermarks.CompactionReadyWatermark(zone.LowWmark, zone.HighWmark, zone.ManagedPages, order);
        bool watermarkOk = zone.WatermarkOk(0, watermark, 0);
        // compaction_deferred() itself, which counts this consideration towards the end of the deferral.
        if (zone.CompactionDeferred(order))
            return watermarkOk;
        if (!Compaction.Suitable(zone, order, k.Scenario.ExtfragThreshold))
            return false;
        return watermarkOk;
    }
}
