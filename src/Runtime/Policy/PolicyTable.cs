namespace Policyc.Runtime.Policy;

/// <summary>
/// The compiled (or interpreted) policy as the runtime sees it: one typed delegate per hook, plus the
/// ordered shrinker sections. This and <see cref="HookContext"/> are the whole contract between the
/// compiler and the runtime. Build one with <see cref="PolicyTableBuilder"/>.
/// </summary>
public sealed class PolicyTable
{
    readonly Delegate[] hooks;
    readonly RuleOrigin?[] origins;

    public string PolicyName { get; }
    /// <summary>The policy and its bases, most derived first: "linux-3.14-swapfix ← linux-3.13".</summary>
    public IReadOnlyList<string> Lineage { get; }
    /// <summary>Shrinker sections, in resolution order (the compiler puts the most specific first).</summary>
    public IReadOnlyList<ShrinkerRuleSet> ShrinkerSections { get; }

    // gfp
    public readonly PolicyHook<bool> GfpWakeKswapd, GfpMayReclaim, GfpMayCompact, GfpMayEnterFs, GfpMayIo, GfpMaySwap, GfpMayOom, GfpShouldRetry;
    public readonly PolicyHook<long> GfpRetryWait;
    // reclaim
    public readonly PolicyHook<bool> ReclaimScanAnon, ReclaimScanFile, ReclaimSkipCompactionReadyZone, ReclaimShrinkSlab, ReclaimProgress;
    public readonly PolicyHook<long> ReclaimSwappiness;
    // kswapd
    public readonly PolicyHook<bool> KswapdWake, KswapdZoneBalanced, KswapdShrinkSlab, KswapdShrinkSlabWhenBalanced, KswapdCompact, KswapdSleep;
    // swap
    public readonly PolicyHook<bool> SwapSkipLowestBit, SwapScanFullDevice, SwapReclaimCacheSlots;
    // xfs
    public readonly PolicyHook<long> XfsKmemRetryWait, XfsDeadlockWarnEvery;
    public readonly PolicyHook<bool> XfsKmemFallbackOrder0;
    public readonly PolicyHook<bool> XfsLvAllocOutsideCilLock;

    internal PolicyTable(string name, IReadOnlyList<string> lineage, Delegate[] hooks, RuleOrigin?[] origins, IReadOnlyList<ShrinkerRuleSet> shrinkers)
    {
        PolicyName = name;
        Lineage = lineage;
        this.hooks = hooks;
        this.origins = origins;
        ShrinkerSections = shrinkers;

        GfpWakeKswapd = Hook<bool>(HookId.GfpWakeKswapd);
        GfpMayReclaim = Hook<bool>(HookId.GfpMayReclaim);
        GfpMayCompact = Hook<bool>(HookId.GfpMayCompact);
        GfpMayEnterFs = Hook<bool>(HookId.GfpMayEnterFs);
        GfpMayIo = Hook<bool>(HookId.GfpMayIo);
        GfpMaySwap = Hook<bool>(HookId.GfpMaySwap);
        GfpMayOom = Hook<bool>(HookId.GfpMayOom);
        GfpShouldRetry = Hook<bool>(HookId.GfpShouldRetry);
        GfpRetryWait = Hook<long>(HookId.GfpRetryWait);
        ReclaimScanAnon = Hook<bool>(HookId.ReclaimScanAnon);
        ReclaimScanFile = Hook<bool>(HookId.ReclaimScanFile);
        ReclaimSwappiness = Hook<long>(HookId.ReclaimSwappiness);
        ReclaimSkipCompactionReadyZone = Hook<bool>(HookId.ReclaimSkipCompactionReadyZone);
        ReclaimShrinkSlab = Hook<bool>(HookId.ReclaimShrinkSlab);
        ReclaimProgress = Hook<bool>(HookId.ReclaimProgress);
        KswapdWake = Hook<bool>(HookId.KswapdWake);
        KswapdZoneBalanced = Hook<bool>(HookId.KswapdZoneBalanced);
        KswapdShrinkSlab = Hook<bool>(HookId.KswapdShrinkSlab);
        KswapdShrinkSlabWhenBalanced = Hook<bool>(HookId.KswapdShrinkSlabWhenBalanced);
        KswapdCompact = Hook<bool>(HookId.KswapdCompact);
        KswapdSleep = Hook<bool>(HookId.KswapdSleep);
        SwapSkipLowestBit = Hook<bool>(HookId.SwapSkipLowestBit);
        SwapScanFullDevice = Hook<bool>(HookId.SwapScanFullDevice);
        SwapReclaimCacheSlots = Hook<bool>(HookId.SwapReclaimCacheSlots);
        XfsKmemRetryWait = Hook<long>(HookId.XfsKmemRetryWait);
        XfsKmemFallbackOrder0 = Hook<bool>(HookId.XfsKmemFallbackOrder0);
        XfsLvAllocOutsideCilLock = Hook<bool>(HookId.XfsLvAllocOutsideCilLock);
        XfsDeadlockWarnEvery = Hook<long>(HookId.XfsDeadlockWarnEvery);
    }

    PolicyHook<T> Hook<T>(HookId id) => (PolicyHook<T>)hooks[(int)id];

    /// <summary>The delegate of a non-shrinker hook, untyped (for tools that walk every hook).</summary>
    public Delegate GetHook(HookId id) => hooks[(int)id];

    /// <summary>Where the rule for a non-shrinker hook was written.</summary>
    public RuleOrigin? OriginOf(HookId id) => origins[(int)id];

    /// <summary>
    /// Resolves the shrinker rules for a shrinker by name: each hook comes from the first section
    /// whose pattern matches and which states that hook.
    /// </summary>
    public ShrinkerRules ResolveShrinker(string shrinkerName)
    {
        var found = new Dictionary<HookId, Delegate>();
        var foundOrigins = new Dictionary<HookId, RuleOrigin>();
        foreach (var section in ShrinkerSections)
        {
            if (!section.Matches(shrinkerName))
                continue;
            foreach (var (id, rule) in section.Rules)
            {
                if (found.TryAdd(id, rule) && section.Origins.TryGetValue(id, out var origin))
                    foundOrigins[id] = origin;
            }
        }
        T Get<T>(HookId id) => found.TryGetValue(id, out var d)
            ? (T)(object)d
            : throw new InvalidOperationException($"policy '{PolicyName}' has no shrinker rule '{HookCatalog.Get(id).Name}' matching shrinker '{shrinkerName}'");
        return new ShrinkerRules
        {
            ShrinkerName = shrinkerName,
            Action = Get<PolicyHook<ShrinkAction>>(HookId.ShrinkerAction),
            Batch = Get<PolicyHook<long>>(HookId.ShrinkerBatch),
            Seeks = Get<PolicyHook<long>>(HookId.ShrinkerSeeks),
            ScanBelowBatch = Get<PolicyHook<bool>>(HookId.ShrinkerScanBelowBatch),
            ScanByPriority = Get<PolicyHook<bool>>(HookId.ShrinkerScanByPriority),
            Origins = foundOrigins,
        };
    }
}
