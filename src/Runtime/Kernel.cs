using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Sim;
using Policyc.Runtime.Slab;
using Policyc.Runtime.Swap;
using Policyc.Runtime.Vmscan;
using Policyc.Runtime.Workload;

namespace Policyc.Runtime;

/// <summary>
/// One simulated machine: the page frames, nodes and zones, swap, slab, XFS, reclaim and the tasks,
/// wired together. Subsystems reach each other through it, as kernel code reaches globals.
/// It also owns the one <see cref="HookContext"/> that every policy call reads.
/// </summary>
internal sealed class Kernel
{
    public readonly Scenario Scenario;
    public readonly PolicyTable Policy;
    public readonly Rng Rng;
    public readonly CpuAccounting Cpu = new();
    public readonly KernelLog Log = new();
    public readonly Scheduler Scheduler;
    public readonly PageFrames Frames;
    /// <summary>The NUMA nodes in address order (one unless the scenario says otherwise).</summary>
    public readonly Node[] Nodes;
    /// <summary>Every populated zone of every node: node 0's DMA, DMA32, Normal, then node 1's, and so on.</summary>
    public readonly Zone[] Zones;
    public readonly SwapDevice? SwapDevice;
    public readonly Counters Counters = new();

    public readonly PageAllocator PageAlloc;
    public readonly SwapOps Swap;
    public readonly SwapWriteback SwapWriteback;
    public readonly SlabAllocator Slab;
    public readonly RcuFrees Rcu;
    public readonly Reclaim Reclaim;
    public readonly ShrinkerSet Shrinkers;
    public readonly Compaction Compaction;
    /// <summary>kswapd0, kswapd1, …: one per node, each balancing only its node.</summary>
    public readonly KswapdTask[] Kswapds;
    public readonly Processes Processes;
    public readonly XfsMount Xfs;

    /// <summary>The context every hook reads. Filled in place before each call; never allocated again.</summary>
    public HookContext Ctx;

    public Kernel(Scenario scenario, PolicyTable policy)
    {
        Scenario = scenario;
        Policy = policy;
        Rng = new Rng(scenario.Seed);
        Scheduler = new Scheduler(scenario.Cpus, Cpu);
        var layout = MemoryLayout.Build(scenario);
        Frames = layout.Frames;
        Nodes = layout.Nodes;
        Zones = layout.Zones;
        HighZoneIdx = Zones.Max(z => z.Index);
        if (scenario.PcpLists)
            foreach (var zone in Zones)
                zone.Pcp = new PerCpuPages(zone.ManagedPages, scenario.Cpus);
        // The scenario gives the usable swap; the device adds its header page.
        if (scenario.SwapBytes > 0)
            SwapDevice = new SwapDevice(scenario.SwapBytes / PolicyTypes.PageSize);
        PageAlloc = new PageAllocator(this);
        Swap = new SwapOps(this);
        SwapWriteback = new SwapWriteback(this);
        Slab = new SlabAllocator(this);
        Rcu = new RcuFrees(this);
        Shrinkers = new ShrinkerSet(this);
        Reclaim = new Reclaim(this);
        Compaction = new Compaction(this);
        Processes = new Processes(this);
        Xfs = new XfsMount(this);
        Kswapds = [.. Nodes.Select(n => new KswapdTask(this, n))];
        Ctx.Vm = new VmSysctl
        {
            Swappiness = scenario.Swappiness,
            VfsCachePressure = scenario.VfsCachePressure,
            MinFree = layout.MinFreeBytes,
        };
    }

    public long Now => Scheduler.Now;

    /// <summary>
    /// The moment the running step has reached: its start plus the CPU it has charged so far (Now
    /// between steps). Swap scans, swap writes and RCU callbacks are timed by it.
    /// </summary>
    public long StepClock => Scheduler.Now + Cpu.StepNs;

    /// <summary>Node 0's kswapd: the only one on a one-node machine.</summary>
    public KswapdTask Kswapd => Kswapds[0];

    /// <summary>
    /// numa_node_id() of the running task: a kswapd's own node, else the node of the task's CPU. A task
    /// runs on the CPU it is bound to, or on CPU id mod cpus (as SLUB's per-CPU slabs assume), and CPUs
    /// are dealt to nodes round robin.
    /// </summary>
    public Node CurrentNode => Nodes.Length == 1 ? Nodes[0]
        : Scheduler.Current is KswapdTask kswapd ? kswapd.Node
        : Nodes[NodeOfCpu(CurrentCpu)];

    /// <summary>cpu_to_node: CPUs are dealt to nodes round robin.</summary>
    public int NodeOfCpu(int cpu) => cpu % Nodes.Length;

    /// <summary>smp_processor_id() of the running task: the CPU it is bound to, else its id mod the CPUs (0 between steps).</summary>
    public int CurrentCpu => Scheduler.Current is { } task ? task.Cpu ?? task.Id % Scenario.Cpus : 0;

    /// <summary>The preferred zone of an allocation from the running task: its node's highest zone.</summary>
    public Zone HighestZone => CurrentNode.HighestZone;

    /// <summary>
    /// gfp_zone of the machine's allocations: the highest zone type any node has (ZONE_NORMAL unless
    /// memory ends below 4 GiB). Zones above it are never eligible.
    /// </summary>
    public readonly int HighZoneIdx;

    /// <summary>page_to_nid.</summary>
    public int NodeOf(int pfn)
    {
        for (int n = Nodes.Length - 1; n > 0; n--)
            if (pfn >= Nodes[n].StartPfn)
                return n;
        return 0;
    }

    public long ManagedPages => Zones.Sum(z => z.ManagedPages);

    public long FreePages => Zones.Sum(z => z.FreePages);

    public Zone ZoneOf(int pfn)
    {
        foreach (var z in Zones)
            if (z.Contains(pfn))
                return z;
        throw new InvalidOperationException($"pfn {pfn} is in no zone");
    }

    // ---- filling the hook context ----

    /// <summary>
    /// The groups every hook may read: node, swap, vm sysctls, clock. <paramref name="node"/> is the
    /// node a kswapd balances; without one the node group describes the whole machine, which is what
    /// an allocation's zonelist reaches.
    /// </summary>
    public void FillCommon(Node? node = null)
    {
        long file = 0, anon = 0, managed = 0, free = 0;
        bool allUnreclaimable = true;
        long nrSwap = Swap.NrSwapPages;
        foreach (var z in node?.Zones ?? Zones)
        {
            managed += z.ManagedPages;
            free += z.FreePages;
            file += z.FilePages;
            anon += z.AnonPages;
            if (z.IsReclaimable(nrSwap))
                allUnreclaimable = false;
        }
        var kswapd = Kswapds[(node ?? CurrentNode).Id];
        Ctx.Node = new NodeState
        {
            Managed = managed,
            Free = free,
            File = file,
            Anon = anon,
            SlabReclaimable = node is null ? Slab.ReclaimablePages : Slab.ReclaimablePagesOn(node.Id),
            SlabDeferred = node is null ? Shrinkers.TotalDeferred : Shrinkers.DeferredOn(node.Id),
            FailingOrder = PageAlloc.FailingOrder(Now),
            AllUnreclaimable = allUnreclaimable,
            BalancedPercent = kswapd.BalancedPercent(kswapd.Order),
        };
        Ctx.Swap = Swap.State();
        Ctx.Clock = new ClockState { Now = Now };
    }

    /// <summary>
    /// The zone as a hook sees it. <paramref name="classzone"/> is the highest zone the caller could
    /// have used: a lower zone's watermark tests then include its lowmem_reserve for that zone.
    /// </summary>
    public void FillZone(Zone z, int order, int classzone = 0) => Ctx.Zone = ZoneStateOf(z, order, classzone);

    /// <summary>The zone as <see cref="FillZone"/> shows it to a hook, for the runtime's own tests of it (compaction_suitable).</summary>
    public ZoneState ZoneStateOf(Zone z, int order, int classzone = 0) =>
        new()
        {
            Index = z.Index,
            Managed = z.ManagedPages,
            Free = z.FreePages,
            Min = z.MinWmark,
            Low = z.LowWmark,
            High = z.HighWmark,
            Reclaimable = z.ReclaimablePages(Swap.NrSwapPages),
            PagesScanned = z.PagesScanned,
            LowmemReserve = z.ReserveAgainst(classzone),
            CompactionDeferred = z.CompactionWouldBeDeferred(order),
            FreeBlocks = z.NrFree,
            ExtfragThreshold = Scenario.ExtfragThreshold,
            BalanceGap = Watermarks.BalanceGap(z.LowWmark, z.ManagedPages),
        };

    public void FillRequest(Gfp gfp, int order, long size, bool isKswapd)
    {
        Ctx.Request = new AllocRequest
        {
            Gfp = gfp,
            Order = order,
            Size = size,
            IsKswapd = isKswapd,
            InTransaction = (gfp & Gfp.FS) == 0 && (gfp & Gfp.WAIT) != 0,
        };
    }
}

/// <summary>Run-wide event counters the report reads.</summary>
internal sealed class Counters
{
    public long KswapdSlabObjectsFreed;
    /// <summary>The part of slabs_scanned that kswapd's shrink_slab calls scanned.</summary>
    public long KswapdSlabObjectsScanned;
    public long KswapdPagesReclaimed;
    public long DirectReclaims;
    public long CompactionRuns;
    public long OomKills;
    public long SlabObjectsFreedByDropCaches;
    /// <summary>XFS kmem_alloc calls that got NULL from kmalloc and loop, by the order of the page allocation that failed.</summary>
    public readonly long[] KmemAllocFailures = new long[Zone.MaxOrder];
    /// <summary>/proc/vmstat's event counters, by <see cref="VmEvent"/>.</summary>
    public readonly long[] VmEvents = new long[Mm.VmEvents.Count];

    /// <summary>count_vm_events.</summary>
    public void Count(VmEvent e, long n = 1) => VmEvents[(int)e] += n;
}
