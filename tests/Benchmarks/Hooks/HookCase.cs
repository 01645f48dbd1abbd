using Policyc.Runtime.Policy;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// One rule of linux-3.13 to measure: a non-shrinker hook, or a shrinker hook as resolved for a named
/// shrinker (<c>sb-xfs</c> takes the <c>sb-*</c> section's rules, <c>xfs_buf</c> only <c>*</c>'s).
/// </summary>
public sealed record HookCase(string Name, HookId Hook, string? Shrinker, Delegate Handwritten)
{
    /// <summary>The rule this case measures, taken from a table the way the runtime takes it.</summary>
    public Delegate From(PolicyTable table)
    {
        if (Shrinker is null)
            return table.GetHook(Hook);
        var rules = table.ResolveShrinker(Shrinker);
        return Hook switch
        {
            HookId.ShrinkerAction => rules.Action,
            HookId.ShrinkerBatch => rules.Batch,
            HookId.ShrinkerSeeks => rules.Seeks,
            HookId.ShrinkerScanBelowBatch => rules.ScanBelowBatch,
            HookId.ShrinkerScanByPriority => rules.ScanByPriority,
            _ => throw new ArgumentOutOfRangeException(nameof(Hook), Hook, "not a shrinker hook"),
        };
    }

    public override string ToString() => Name;

    /// <summary>Every rule of linux-3.13, each paired with its hand-written static method.</summary>
    public static IReadOnlyList<HookCase> All { get; } = Build();

    /// <summary>A few rules of different shapes (a flag test, a context function, checked arithmetic) for quick runs.</summary>
    public static IReadOnlyList<HookCase> Quick { get; } =
        All.Where(c => c.Name is "gfp.should_retry" or "kswapd.zone_balanced" or "swap.reclaim_cache_slots").ToArray();

    public static HookCase Find(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"no hook case '{name}'", nameof(name));

    static HookCase[] Build()
    {
        var cases = new List<HookCase>();
        void Add(HookId id, Delegate handwritten, string? shrinker = null)
        {
            var hook = HookCatalog.Get(id);
            string name = shrinker is null ? hook.QualifiedName : $"shrinker({shrinker}).{hook.Name}";
            cases.Add(new HookCase(name, id, shrinker, handwritten));
        }
        Add(HookId.GfpWakeKswapd, (PolicyHook<bool>)Linux313Static.GfpWakeKswapd);
        Add(HookId.GfpMayReclaim, (PolicyHook<bool>)Linux313Static.GfpMayReclaim);
        Add(HookId.GfpMayCompact, (PolicyHook<bool>)Linux313Static.GfpMayCompact);
        Add(HookId.GfpMayEnterFs, (PolicyHook<bool>)Linux313Static.GfpMayEnterFs);
        Add(HookId.GfpMayIo, (PolicyHook<bool>)Linux313Static.GfpMayIo);
        Add(HookId.GfpMaySwap, (PolicyHook<bool>)Linux313Static.GfpMaySwap);
        Add(HookId.GfpMayOom, (PolicyHook<bool>)Linux313Static.GfpMayOom);
        Add(HookId.GfpShouldRetry, (PolicyHook<bool>)Linux313Static.GfpShouldRetry);
        Add(HookId.GfpRetryWait, (PolicyHook<long>)Linux313Static.GfpRetryWait);
        Add(HookId.ReclaimScanAnon, (PolicyHook<bool>)Linux313Static.ReclaimScanAnon);
        Add(HookId.ReclaimScanFile, (PolicyHook<bool>)Linux313Static.ReclaimScanFile);
        Add(HookId.ReclaimSwappiness, (PolicyHook<long>)Linux313Static.ReclaimSwappiness);
        Add(HookId.ReclaimSkipCompactionReadyZone, (PolicyHook<bool>)Linux313Static.ReclaimSkipCompactionReadyZone);
        Add(HookId.ReclaimShrinkSlab, (PolicyHook<bool>)Linux313Static.ReclaimShrinkSlab);
        Add(HookId.ReclaimProgress, (PolicyHook<bool>)Linux313Static.ReclaimProgress);
        Add(HookId.ShrinkerAction, (PolicyHook<ShrinkAction>)Linux313Static.SuperShrinkerAction, "sb-xfs");
        Add(HookId.ShrinkerBatch, (PolicyHook<long>)Linux313Static.SuperShrinkerBatch, "sb-xfs");
        Add(HookId.ShrinkerAction, (PolicyHook<ShrinkAction>)Linux313Static.ShrinkerAction, "xfs_buf");
        Add(HookId.ShrinkerBatch, (PolicyHook<long>)Linux313Static.ShrinkerBatch, "xfs_buf");
        Add(HookId.ShrinkerSeeks, (PolicyHook<long>)Linux313Static.ShrinkerSeeks, "xfs_buf");
        Add(HookId.ShrinkerScanBelowBatch, (PolicyHook<bool>)Linux313Static.ShrinkerScanBelowBatch, "xfs_buf");
        Add(HookId.ShrinkerScanByPriority, (PolicyHook<bool>)Linux313Static.ShrinkerScanByPriority, "xfs_buf");
        Add(HookId.KswapdWake, (PolicyHook<bool>)Linux313Static.KswapdWake);
        Add(HookId.KswapdZoneBalanced, (PolicyHook<bool>)Linux313Static.KswapdZoneBalanced);
        Add(HookId.KswapdShrinkSlab, (PolicyHook<bool>)Linux313Static.KswapdShrinkSlab);
        Add(HookId.KswapdShrinkSlabWhenBalanced, (PolicyHook<bool>)Linux313Static.KswapdShrinkSlabWhenBalanced);
        Add(HookId.KswapdCompact, (PolicyHook<bool>)Linux313Static.KswapdCompact);
        Add(HookId.KswapdSleep, (PolicyHook<bool>)Linux313Static.KswapdSleep);
        Add(HookId.SwapSkipLowestBit, (PolicyHook<bool>)Linux313Static.SwapSkipLowestBit);
        Add(HookId.SwapScanFullDevice, (PolicyHook<bool>)Linux313Static.SwapScanFullDevice);
        Add(HookId.SwapReclaimCacheSlots, (PolicyHook<bool>)Linux313Static.SwapReclaimCacheSlots);
        Add(HookId.XfsKmemRetryWait, (PolicyHook<long>)Linux313Static.XfsKmemRetryWait);
        Add(HookId.XfsKmemFallbackOrder0, (PolicyHook<bool>)Linux313Static.XfsKmemFallbackOrder0);
        Add(HookId.XfsDeadlockWarnEvery, (PolicyHook<long>)Linux313Static.XfsDeadlockWarnEvery);
        Add(HookId.XfsLvAllocOutsideCilLock, (PolicyHook<bool>)Linux313Static.XfsLvAllocOutsideCilLock);
        return cases.ToArray();
    }
}
