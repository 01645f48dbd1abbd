using Policyc.Runtime.Policy;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// Hook inputs as the simulated kernel produces them, drawn from a seeded generator: the GFP masks
/// the kernel and XFS use, orders 0-10 weighted towards small ones, zones below MIN, between the
/// watermarks and above HIGH with free lists consistent with the free count, swap full or not.
/// The benchmark loops over the array, so the JIT cannot fold a rule's inputs to constants.
/// </summary>
public static class ContextMix
{
    static readonly Gfp[] Masks =
    [
        GfpMasks.GFP_KERNEL,
        GfpMasks.GFP_NOFS,                                     // XFS transactions (KM_NOFS)
        GfpMasks.GFP_NOFS | Gfp.NOWARN,                        // kmem_alloc's kmalloc under PF_FSTRANS
        GfpMasks.GFP_NOFS | Gfp.NORETRY | Gfp.NOWARN,          // KM_MAYFAIL
        GfpMasks.GFP_NOIO,
        GfpMasks.GFP_ATOMIC,
        GfpMasks.GFP_HIGHUSER_MOVABLE,                         // page cache and anon faults
        GfpMasks.GFP_KERNEL | Gfp.REPEAT,                      // costly allocations that insist
        GfpMasks.GFP_NOFS | Gfp.NOFAIL,
        GfpMasks.GFP_HIGHUSER_MOVABLE | Gfp.COMP | Gfp.NOMEMALLOC | Gfp.NORETRY | Gfp.NOWARN | Gfp.NO_KSWAPD, // GFP_TRANSHUGE
        GfpMasks.GFP_KERNEL | Gfp.COMP | Gfp.ZERO,
    ];

    // Orders 0-10: mostly single pages, XFS's order-4 log vectors, THP's order 9, the odd large one.
    static readonly int[] Orders = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 5, 9, 10];

    public static HookContext[] Create(int count, int seed)
    {
        var random = new Random(seed);
        var contexts = new HookContext[count];
        for (int i = 0; i < count; i++)
            contexts[i] = One(random);
        return contexts;
    }

    static HookContext One(Random random)
    {
        const long managed = 3_500_000;                        // a 14 GiB zone of 4 KiB pages
        long min = 11_000, low = min * 5 / 4, high = min * 3 / 2;
        var blocks = FreeBlocks(random, random.Next(4) switch
        {
            0 => random.NextInt64(0, min),                      // below MIN: direct reclaim territory
            1 => random.NextInt64(min, high),                   // between the watermarks
            2 => random.NextInt64(high, 4 * high),              // balanced
            _ => random.NextInt64(0, managed / 4),
        });
        long free = 0;
        for (int o = 0; o < blocks.Length; o++)
            free += blocks[o] << o;
        long swapTotal = 124_494;                               // the report's SwapTotal, 497976 kB
        long swapFree = random.Next(3) == 0 ? 0 : random.NextInt64(0, swapTotal + 1);
        long order = Orders[random.Next(Orders.Length)];
        var gfp = Masks[random.Next(Masks.Length)];
        return new HookContext
        {
            Request = new AllocRequest
            {
                Gfp = gfp,
                Order = order,
                Size = 4096L << (int)order,
                Retries = random.Next(0, 200),
                Reclaimed = random.Next(0, 64),
                TotalReclaimed = random.Next(0, 2048),
                InTransaction = (gfp & Gfp.FS) == 0,
                IsKswapd = random.Next(8) == 0,
            },
            Zone = new ZoneState
            {
                Index = 2,
                Managed = managed,
                Free = free,
                Min = min,
                Low = low,
                High = high,
                Reclaimable = random.NextInt64(0, managed / 2),
                PagesScanned = random.NextInt64(0, managed),
                LowmemReserve = 0,
                CompactionDeferred = random.Next(4) == 0,
                FreeBlocks = blocks,
                ExtfragThreshold = 500,
                BalanceGap = Math.Min(low, managed / 100),
            },
            Node = new NodeState
            {
                Managed = managed + 500_000,
                Free = free + random.NextInt64(0, 50_000),
                File = random.NextInt64(0, 1_000_000),
                Anon = random.NextInt64(0, 2_000_000),
                SlabReclaimable = random.NextInt64(0, 2_000_000),
                SlabDeferred = random.NextInt64(0, 10_000_000),
                FailingOrder = random.Next(-1, 11),
                AllUnreclaimable = random.Next(6) == 0,
                BalancedPercent = random.Next(5) switch { 0 => 0, 1 => 100, _ => random.Next(0, 101) },
            },
            Swap = new SwapState
            {
                Total = swapTotal,
                Free = swapFree,
                Used = swapTotal - swapFree,
                Cache = random.NextInt64(0, 1000),
                CacheOnly = random.NextInt64(0, 100),
                Devices = 1,
            },
            Shrinker = new ShrinkerState
            {
                Freeable = random.NextInt64(0, 5_000_000),
                Deferred = random.NextInt64(0, 10_000_000),
                Delta = random.NextInt64(0, 100_000),
                TotalScan = random.NextInt64(0, 200_000),
                NrScanned = random.NextInt64(0, 4096),
                LruPages = random.NextInt64(0, 3_000_000),
            },
            Kswapd = new KswapdState
            {
                Order = Orders[random.Next(Orders.Length)],
                Priority = random.Next(1, 13),
                Reclaimed = random.Next(0, 4096),
                Awake = random.Next(2) == 0,
                Wakeups = random.Next(0, 100_000),
            },
            Scan = new ScanControl
            {
                Priority = random.Next(0, 13),
                NrToReclaim = 32,
                NrScanned = random.Next(0, 4096),
                NrReclaimed = random.Next(0, 64),
                IsKswapd = random.Next(4) == 0,
                IsDropCaches = random.Next(50) == 0,
            },
            Vm = new VmSysctl { Swappiness = 60, VfsCachePressure = 100, MinFree = 45_056 * 1024 },
            Clock = new ClockState { Now = random.NextInt64(0, 4_000_000_000_000) },
        };
    }

    /// <summary>Free blocks per order that add up to about <paramref name="target"/> pages, fragmented at random.</summary>
    static long[] FreeBlocks(Random random, long target)
    {
        var blocks = new long[Watermarks.MaxOrder];
        // How far up the orders the free memory reaches: a fragmented zone has nothing above order 2 or 3.
        int top = random.Next(1, Watermarks.MaxOrder + 1);
        long left = target;
        for (int o = top - 1; o >= 0 && left > 0; o--)
        {
            long share = o == 0 ? left : random.NextInt64(0, left / 2 + 1);
            blocks[o] = share >> o;
            left -= blocks[o] << o;
        }
        return blocks;
    }
}
