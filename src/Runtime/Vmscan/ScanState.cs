using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Vmscan;

/// <summary>struct scan_control: one reclaim pass's goal, progress and permissions.</summary>
internal sealed class ScanState
{
    public Gfp Gfp;
    public int Order;
    public int Priority;
    public long NrToReclaim;
    public long NrScanned;
    public long NrReclaimed;
    public bool MaySwap;
    public bool MayIo;
    public bool MayEnterFs;
    public bool IsKswapd;
    public bool IsDropCaches;
    /// <summary>
    /// shrink_inactive_list's congestion_wait(BLK_RW_ASYNC, HZ/10) calls this pass owes: kswapd met
    /// pages under writeback in a zone flagged ZONE_WRITEBACK (nr_immediate). The caller sleeps them
    /// off at the end of its pass.
    /// </summary>
    public int CongestionWaits;

    public void Reset(Gfp gfp, int order, long nrToReclaim, bool isKswapd)
    {
        Gfp = gfp;
        Order = order;
        Priority = Reclaim.DefPriority;
        NrToReclaim = nrToReclaim;
        NrScanned = 0;
        NrReclaimed = 0;
        MaySwap = true;
        MayIo = true;
        MayEnterFs = true;
        IsKswapd = isKswapd;
        IsDropCaches = false;
        CongestionWaits = 0;
    }

    public ScanControl ToContext() => new()
    {
        Priority = Priority,
        NrToReclaim = NrToReclaim,
        NrScanned = NrScanned,
        NrReclaimed = NrReclaimed,
        IsKswapd = IsKswapd,
        IsDropCaches = IsDropCaches,
    };
}
