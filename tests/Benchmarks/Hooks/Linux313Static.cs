using Policyc.Runtime.Policy;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// The rules of policies/linux-3.13.rpol written by hand as C# static methods, the way a kernel
/// developer would write them without a compiler (plain, unchecked arithmetic). This is the baseline
/// the compiled policy is measured against: the same kind of call (a static method through a
/// <see cref="PolicyHook{T}"/>), the same decision on every input (the benchmark checks that).
/// </summary>
public static class Linux313Static
{
    const long CostlyOrder = 3;          // PAGE_ALLOC_COSTLY_ORDER
    const long Hz50 = 20_000_000;        // HZ/50 in nanoseconds

    static bool Has(in HookContext c, Gfp flags) => (c.Request.Gfp & flags) == flags;

    // gfp
    public static bool GfpWakeKswapd(in HookContext c) => !Has(c, Gfp.NO_KSWAPD);
    public static bool GfpMayReclaim(in HookContext c) => Has(c, Gfp.WAIT);
    public static bool GfpMayCompact(in HookContext c) => c.Request.Order > 0 && Has(c, Gfp.FS | Gfp.IO);
    public static bool GfpMayEnterFs(in HookContext c) => Has(c, Gfp.FS);
    public static bool GfpMayIo(in HookContext c) => Has(c, Gfp.IO);
    public static bool GfpMaySwap(in HookContext c) => true;
    public static bool GfpMayOom(in HookContext c) => Has(c, Gfp.FS) && !Has(c, Gfp.NORETRY) && c.Request.Order <= CostlyOrder;
    public static bool GfpShouldRetry(in HookContext c) =>
        !Has(c, Gfp.NORETRY)
        && (Has(c, Gfp.NOFAIL) || c.Request.Order <= CostlyOrder
            || (Has(c, Gfp.REPEAT) && c.Request.TotalReclaimed < (1L << (int)c.Request.Order)));
    // wait_iff_congested: no device is ever congested here, so no sleep.
    public static long GfpRetryWait(in HookContext c) => 0;

    // reclaim
    public static bool ReclaimScanAnon(in HookContext c) => c.Swap.Free > 0;
    public static bool ReclaimScanFile(in HookContext c) => true;
    public static long ReclaimSwappiness(in HookContext c) => c.Vm.Swappiness;
    public static bool ReclaimSkipCompactionReadyZone(in HookContext c) => c.Request.Order > CostlyOrder;
    public static bool ReclaimShrinkSlab(in HookContext c) => true;
    public static bool ReclaimProgress(in HookContext c) => !c.Node.AllUnreclaimable;

    // shrinker "*"
    public static ShrinkAction ShrinkerAction(in HookContext c) => ShrinkAction.Run;
    public static long ShrinkerBatch(in HookContext c) => 128;
    public static long ShrinkerSeeks(in HookContext c) => 2;
    public static bool ShrinkerScanBelowBatch(in HookContext c) => false;
    public static bool ShrinkerScanByPriority(in HookContext c) => false;

    // shrinker "sb-*"
    public static ShrinkAction SuperShrinkerAction(in HookContext c) => Has(c, Gfp.FS) ? ShrinkAction.Run : ShrinkAction.Defer;
    public static long SuperShrinkerBatch(in HookContext c) => 1024;

    // kswapd
    public static bool KswapdWake(in HookContext c) =>
        !c.Zone.WatermarkOk(c.Zone.High, c.Kswapd.Order) || (c.Kswapd.Order > 0 && !c.Zone.CompactionSuitable(c.Kswapd.Order));
    public static bool KswapdZoneBalanced(in HookContext c) =>
        (c.Kswapd.Order == 0 || c.Zone.CompactionSuitable(c.Kswapd.Order))
        && c.Zone.WatermarkOk(c.Zone.High + c.Zone.BalanceGap, 0);
    public static bool KswapdShrinkSlab(in HookContext c) => true;
    public static bool KswapdShrinkSlabWhenBalanced(in HookContext c) => false;
    public static bool KswapdCompact(in HookContext c) => c.Kswapd.Order > 0 && c.Kswapd.Reclaimed > 0;
    public static bool KswapdSleep(in HookContext c) => c.Node.BalancedPercent >= (c.Kswapd.Order > 0 ? 25 : 100);

    // swap
    public static bool SwapSkipLowestBit(in HookContext c) => true;
    public static bool SwapScanFullDevice(in HookContext c) => true;
    public static bool SwapReclaimCacheSlots(in HookContext c) => c.Swap.Free * 2 < c.Swap.Total;

    // xfs
    public static long XfsKmemRetryWait(in HookContext c) => Hz50;
    public static bool XfsKmemFallbackOrder0(in HookContext c) => false;
    public static long XfsDeadlockWarnEvery(in HookContext c) => 100;
    public static bool XfsLvAllocOutsideCilLock(in HookContext c) => false;
}
