using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Testing;

/// <summary>
/// The context a decision test starts from before its <c>given</c> fields: an unremarkable moment
/// on a 4 GiB Normal zone. Memory is plentiful (free well above the HIGH watermark, in unfragmented
/// order-10 blocks), swap is half used, no shrinker work is deferred, kswapd sleeps, the request is
/// an order-0 GFP_KERNEL allocation. docs/authoring.md lists every value; keep the two in step.
/// </summary>
public static class NeutralContext
{
    /// <summary>The highest order the buddy allocator has (MAX_ORDER - 1).</summary>
    public const long MaxOrder = Watermarks.MaxOrder - 1;

    public static HookContext Create() => new()
    {
        Request = new AllocRequest { Gfp = GfpMasks.GFP_KERNEL, Order = 0, Size = 4096 },
        Zone = new ZoneState
        {
            Index = 2,
            Managed = 1_048_576,
            Free = 262_144,
            Min = 8_192,
            Low = 10_240,
            High = 12_288,
            Reclaimable = 524_288,
            ExtfragThreshold = 500,
            BalanceGap = 10_240,
        },
        Node = new NodeState
        {
            Managed = 1_048_576,
            Free = 262_144,
            File = 262_144,
            Anon = 262_144,
            SlabReclaimable = 65_536,
            FailingOrder = -1,
            BalancedPercent = 100,
        },
        Swap = new SwapState { Total = 131_072, Free = 65_536, Used = 65_536, Devices = 1 },
        Shrinker = new ShrinkerState { Freeable = 100_000, Delta = 1_000, TotalScan = 1_000, NrScanned = 32, LruPages = 524_288 },
        Kswapd = new KswapdState { Priority = 12 },
        Scan = new ScanControl { Priority = 12, NrToReclaim = 32 },
        Vm = new VmSysctl { Swappiness = 60, VfsCachePressure = 100, MinFree = 67_584 * 1024 },
    };

    /// <summary>
    /// Free pages as buddy blocks: as many blocks of <paramref name="maxFreeOrder"/> as fit, the rest
    /// at order 0. Order 0 means fully fragmented: no two free pages are buddies.
    /// </summary>
    public static long[] FreeBlocks(long freePages, long maxFreeOrder)
    {
        var blocks = new long[MaxOrder + 1];
        long size = 1L << (int)maxFreeOrder;
        blocks[maxFreeOrder] = Math.Max(0, freePages) / size;
        blocks[0] += Math.Max(0, freePages) - blocks[maxFreeOrder] * size;
        return blocks;
    }
}
