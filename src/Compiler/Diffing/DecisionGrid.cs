using Policyc.Compiler.Testing;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Diffing;

/// <summary>How the zone's free memory stands against its watermarks in a grid point.</summary>
public enum WatermarkState
{
    AboveHigh,
    BetweenLowAndHigh,
    BetweenMinAndLow,
    BelowMin,
    /// <summary>Plenty free (above HIGH), but no free block above order 3: the report's situation.</summary>
    FragmentedAboveOrder3,
    /// <summary>Plenty free, but every free page alone (no two free buddies).</summary>
    FragmentedToOrder0,
}

/// <summary>One input of the decision grid.</summary>
public readonly record struct GridPoint(string GfpName, Gfp Gfp, int Order, WatermarkState Watermark, bool SwapFull, bool Deferred);

/// <summary>
/// The inputs <c>policyc diff</c> evaluates both policies on: every GFP mask the kernel's callers use
/// (gfp.h's named masks and the modifiers reclaim looks at), orders 0 to 10, six watermark states,
/// swap with free slots or full, and deferred shrinker work absent or present. Each point starts from
/// <see cref="NeutralContext"/>; the kswapd and node fields follow the zone so that the point is a
/// state the kernel could be in (kswapd balances the request's order; a zone that fails its LOW
/// watermark at that order makes it the node's failing order).
/// </summary>
public static class DecisionGrid
{
    const Gfp TransHuge = GfpMasks.GFP_HIGHUSER_MOVABLE | Gfp.COMP | Gfp.NOMEMALLOC | Gfp.NORETRY | Gfp.NOWARN | Gfp.NO_KSWAPD;

    /// <summary>The masks, by the name a kernel developer would write.</summary>
    public static IReadOnlyList<(string Name, Gfp Mask)> Masks { get; } =
    [
        ("GFP_NOWAIT", GfpMasks.GFP_NOWAIT),
        ("GFP_ATOMIC", GfpMasks.GFP_ATOMIC),
        ("GFP_NOIO", GfpMasks.GFP_NOIO),
        ("GFP_NOFS", GfpMasks.GFP_NOFS),
        ("GFP_NOFS|__GFP_NOFAIL", GfpMasks.GFP_NOFS | Gfp.NOFAIL),
        ("GFP_KERNEL", GfpMasks.GFP_KERNEL),
        ("GFP_KERNEL|__GFP_NORETRY", GfpMasks.GFP_KERNEL | Gfp.NORETRY),
        ("GFP_KERNEL|__GFP_REPEAT", GfpMasks.GFP_KERNEL | Gfp.REPEAT),
        ("GFP_KERNEL|__GFP_NOFAIL", GfpMasks.GFP_KERNEL | Gfp.NOFAIL),
        ("GFP_TEMPORARY", GfpMasks.GFP_TEMPORARY),
        ("GFP_USER", GfpMasks.GFP_USER),
        ("GFP_HIGHUSER", GfpMasks.GFP_HIGHUSER),
        ("GFP_HIGHUSER_MOVABLE", GfpMasks.GFP_HIGHUSER_MOVABLE),
        ("GFP_TRANSHUGE", TransHuge),
    ];

    public const int MaxOrder = Watermarks.MaxOrder - 1;

    public static IReadOnlyList<GridPoint> Points { get; } = BuildPoints();

    static GridPoint[] BuildPoints()
    {
        var points = new List<GridPoint>();
        foreach (var (name, mask) in Masks)
            for (int order = 0; order <= MaxOrder; order++)
                foreach (var watermark in Enum.GetValues<WatermarkState>())
                    foreach (bool swapFull in new[] { false, true })
                        foreach (bool deferred in new[] { false, true })
                            points.Add(new GridPoint(name, mask, order, watermark, swapFull, deferred));
        return points.ToArray();
    }

    /// <summary>Deferred work when present: about what the report's sb-xfs shrinker had piled up.</summary>
    public const long DeferredObjects = 5_000_000;

    public static HookContext Context(GridPoint p)
    {
        var c = NeutralContext.Create();
        c.Request.Gfp = p.Gfp;
        c.Request.Order = p.Order;
        c.Request.Size = 4096L << p.Order;
        long maxFreeOrder = NeutralContext.MaxOrder;
        c.Zone.Free = p.Watermark switch
        {
            WatermarkState.BetweenLowAndHigh => (c.Zone.Low + c.Zone.High) / 2,
            WatermarkState.BetweenMinAndLow => (c.Zone.Min + c.Zone.Low) / 2,
            WatermarkState.BelowMin => c.Zone.Min / 2,
            _ => c.Zone.Free,
        };
        if (p.Watermark == WatermarkState.FragmentedAboveOrder3)
            maxFreeOrder = 3;
        if (p.Watermark == WatermarkState.FragmentedToOrder0)
            maxFreeOrder = 0;
        c.Zone.FreeBlocks = NeutralContext.FreeBlocks(c.Zone.Free, maxFreeOrder);
        c.Node.Free = c.Zone.Free;
        if (p.SwapFull)
        {
            c.Swap.Free = 0;
            c.Swap.Used = c.Swap.Total;
        }
        if (p.Deferred)
        {
            c.Node.SlabDeferred = DeferredObjects;
            c.Shrinker.Deferred = DeferredObjects;
            c.Shrinker.TotalScan = Math.Min(DeferredObjects + c.Shrinker.Delta, 2 * c.Shrinker.Freeable);
        }
        c.Kswapd.Order = p.Order;
        c.Kswapd.Awake = !c.Zone.WatermarkOk(c.Zone.Low, p.Order);
        c.Node.FailingOrder = c.Zone.WatermarkOk(c.Zone.Low, p.Order) ? -1 : p.Order;
        c.Node.BalancedPercent = c.Zone.WatermarkOk(c.Zone.High, p.Order) ? 100 : 0;
        return c;
    }

    /// <summary>The grid's dimensions, for describing where decisions differ.</summary>
    public static IReadOnlyList<GridDimension> Dimensions { get; } =
    [
        new("gfp", p => p.GfpName, Masks.Select(m => m.Name).ToArray()),
        new("order", p => p.Order.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Enumerable.Range(0, MaxOrder + 1).Select(o => o.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
        new("zone", p => Describe(p.Watermark), Enum.GetValues<WatermarkState>().Select(Describe).ToArray()),
        new("swap", p => p.SwapFull ? "full" : "free slots", ["free slots", "full"]),
        new("deferred slab work", p => p.Deferred ? "present" : "absent", ["absent", "present"]),
    ];

    public static string Describe(WatermarkState state) => state switch
    {
        WatermarkState.AboveHigh => "above high",
        WatermarkState.BetweenLowAndHigh => "low..high",
        WatermarkState.BetweenMinAndLow => "min..low",
        WatermarkState.BelowMin => "below min",
        WatermarkState.FragmentedAboveOrder3 => "fragmented (no block above order 3)",
        _ => "fragmented (order-0 pages only)",
    };

    public static string Summary =>
        $"{Points.Count} inputs: {Masks.Count} GFP masks x orders 0-{MaxOrder} x {Enum.GetValues<WatermarkState>().Length} zone states x swap free/full x deferred slab work absent/present";
}

/// <summary>A dimension of the grid: its name, the label of a point's value, and every label in order.</summary>
public sealed record GridDimension(string Name, Func<GridPoint, string> Label, IReadOnlyList<string> Values);
