using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Sim;
using Policyc.Runtime.Tests.Policies;
using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Tests;

/// <summary>
/// Several NUMA nodes: the layout and zonelists of build_zonelists, the fast path that stays on the
/// local node, kswapd per node, and shrinker work counted and deferred per node.
/// </summary>
public class NumaTests
{
    /// <summary>512 MiB in four nodes of 128 MiB: node 0 holds DMA, 48 MiB of DMA32 and 64 MiB of Normal.</summary>
    static Scenario FourNodes() => TestMachine.Tiny(mem: "512M")
        .WithOverride("nodes", "4")
        .WithOverride("cpus", "4")
        .WithOverride("dma32", "64M");

    /// <summary>Runs <paramref name="body"/> as one step of a task bound to <paramref name="cpu"/>, as kernel code runs on a CPU.</summary>
    static T OnCpu<T>(Kernel k, int cpu, Func<T> body)
    {
        var task = new Probe<T>(body) { Cpu = cpu };
        k.Scheduler.Add(task, k.Now);
        while (!task.Done)
            Assert.True(k.Scheduler.RunNext());
        return task.Result!;
    }

    sealed class Probe<T>(Func<T> body) : SimTask("probe")
    {
        public T? Result;
        public bool Done;

        public override long Step(long now)
        {
            Result = body();
            Done = true;
            return Exited;
        }
    }

    static int AllocPage(Kernel k, int cpu)
    {
        var attempt = new AllocAttempt();
        return OnCpu(k, cpu, () => k.PageAlloc.AllocPages(GfpMasks.GFP_KERNEL, 0, PageState.Kernel, -1, ref attempt));
    }

    [Fact]
    public void Memory_is_split_into_equal_nodes_with_the_low_zones_on_node_0()
    {
        var k = TestMachine.Kernel(FourNodes());
        Assert.Equal(4, k.Nodes.Length);
        Assert.Equal(["DMA", "DMA32", "Normal"], k.Nodes[0].Zones.Select(z => z.Name));
        foreach (var node in k.Nodes.Skip(1))
            Assert.Equal(["Normal"], node.Zones.Select(z => z.Name));
        for (int n = 0; n < 4; n++)
        {
            Assert.Equal(n * 32768, k.Nodes[n].StartPfn);
            Assert.Equal((n + 1) * 32768, k.Nodes[n].EndPfn);
            Assert.All(k.Nodes[n].Zones, z => Assert.Equal(n, z.NodeId));
        }
        // The lowmem reserve is the node's own: node 0's DMA32 keeps back a 256th of node 0's Normal only.
        var (dma32, normal0) = (k.Nodes[0].Zones[1], k.Nodes[0].Zones[2]);
        Assert.Equal(normal0.ManagedPages / 256, dma32.LowmemReserve[2]);
        // min_free_kbytes is shared among all zones of all nodes in proportion to their size.
        long pagesMin = Math.Clamp((long)Math.Sqrt(k.ManagedPages * 4.0 * 16), 128, 65536) >> 2;
        Assert.InRange(k.Zones.Sum(z => z.MinWmark), pagesMin - k.Zones.Length, pagesMin);
        Invariants.Check(k);
    }

    [Fact]
    public void A_zonelist_holds_the_local_zones_from_the_highest_down_then_the_next_nodes_up_wrapping()
    {
        var k = TestMachine.Kernel(FourNodes());
        Assert.Equal(
            ["2 Normal", "3 Normal", "0 Normal", "0 DMA32", "0 DMA", "1 Normal"],
            k.Nodes[2].Zonelist.Select(z => $"{z.NodeId} {z.Name}"));
        Assert.Equal(
            ["0 Normal", "0 DMA32", "0 DMA", "1 Normal", "2 Normal", "3 Normal"],
            k.Nodes[0].Zonelist.Select(z => $"{z.NodeId} {z.Name}"));
    }

    [Fact]
    public void A_task_allocates_from_the_node_of_its_cpu()
    {
        var k = TestMachine.Kernel(FourNodes());
        for (int cpu = 0; cpu < 4; cpu++)
            Assert.Equal(cpu, k.NodeOf(AllocPage(k, cpu)));
    }

    [Fact]
    public void Below_low_the_slow_path_wakes_the_local_kswapd_and_still_takes_a_local_page_down_to_min()
    {
        var k = TestMachine.Kernel(FourNodes());
        var local = k.Nodes[1].HighestZone;
        TestMachine.FillWithPageCache(k, z => z == local ? z.LowWmark : z.FreePages);

        int pfn = AllocPage(k, cpu: 1);

        // The fast path passes over node 2's free memory; the slow path's MIN test is met locally.
        Assert.Equal(1, k.NodeOf(pfn));
        Assert.False(k.Kswapds[1].Asleep);
        Assert.True(k.Kswapds[2].Asleep, "a node above its LOW watermark is not woken");
        k.PageAlloc.FreePages(pfn, 0);
        Invariants.Check(k);
    }

    [Fact]
    public void At_min_the_allocation_spills_to_the_next_node_of_the_zonelist()
    {
        var k = TestMachine.Kernel(FourNodes());
        var local = k.Nodes[1].HighestZone;
        TestMachine.FillWithPageCache(k, z => z == local ? z.MinWmark : z.FreePages);

        int pfn = AllocPage(k, cpu: 1);

        Assert.Equal(2, k.NodeOf(pfn));
        Assert.False(k.Kswapds[1].Asleep);
        k.PageAlloc.FreePages(pfn, 0);
        Invariants.Check(k);
    }

    [Fact]
    public void Kswapd_balances_its_own_node_only()
    {
        var k = TestMachine.Kernel(FourNodes());
        var zone1 = k.Nodes[1].HighestZone;
        var zone2 = k.Nodes[2].HighestZone;
        TestMachine.FillWithPageCache(k, z => z == zone1 || z == zone2 ? z.MinWmark : z.FreePages);
        k.Kswapds[1].Wakeup(zone1, 0, zone1.Index);
        OnCpu(k, 1, () => k.Kswapds[1].Step(k.Now));

        Assert.True(zone1.FreePages >= zone1.HighWmark, $"node 1: free {zone1.FreePages} < high {zone1.HighWmark}");
        Assert.Equal(zone2.MinWmark, zone2.FreePages);
        Invariants.Check(k);
    }

    /// <summary>A NUMA-aware cache with a number of objects on each node.</summary>
    sealed class PerNodeShrinker(long[] objects, bool numaAware) : IShrinker
    {
        public readonly long[] Objects = objects;
        public readonly List<int> Calls = [];
        public string Name => "sb-test";
        public bool NumaAware => numaAware;
        public long CountObjects(int nid) => numaAware ? Objects[nid] : Objects.Sum();

        public long ScanObjects(long nrToScan, int nid)
        {
            Calls.Add(nid);
            long freed = Math.Min(nrToScan, Objects[nid]);
            Objects[nid] -= freed;
            return freed;
        }
    }

    static ScanState Scan(Gfp gfp, bool kswapd = false) => TestMachine.Scan(gfp, kswapd);

    [Fact]
    public void A_nofs_caller_defers_into_every_node_and_a_node_kswapd_takes_only_its_own()
    {
        var k = TestMachine.Kernel(FourNodes());
        var s = new PerNodeShrinker([40_000, 40_000, 40_000, 40_000], numaAware: true);
        k.Shrinkers.Register(s);
        long before = k.Shrinkers.TotalDeferred;

        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_NOFS), 1000, 1000, 0, NodeMask.All(4));
        var deferred = Enumerable.Range(0, 4).Select(k.Shrinkers.DeferredOn).ToArray();
        Assert.Empty(s.Calls);
        Assert.All(deferred, d => Assert.True(d > 0));

        // kswapd of node 2: nodes_to_scan holds node 2 alone.
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL, kswapd: true), 0, 1000, 0, NodeMask.Of(2));
        Assert.All(s.Calls, nid => Assert.Equal(2, nid));
        Assert.True(s.Objects[2] < 40_000);
        Assert.Equal([40_000, 40_000, 40_000], new[] { s.Objects[0], s.Objects[1], s.Objects[3] });
        Assert.True(k.Shrinkers.DeferredOn(2) < deferred[2]);
        Assert.Equal(deferred[0], k.Shrinkers.DeferredOn(0));
        Assert.Equal(deferred[3], k.Shrinkers.DeferredOn(3));
        Assert.True(k.Shrinkers.TotalDeferred > before);
    }

    [Fact]
    public void A_kswapd_asks_its_node_s_shrinkers_for_work_in_proportion_to_its_own_lru_and_counts_what_they_scanned()
    {
        // Two nodes with the same 40,000 objects and the same 32 pages scanned: node 0 with an LRU
        // of 100,000 pages (page cache), node 1 with 192 (no page cache, the swap full). 3.13's
        // delta, 4 x 32 / 2 seeks x 40,000 / (lru_pages + 1), is 25 objects for node 0, less than a
        // batch, and 13,264 for node 1: a third of its cache in one call.
        var k = TestMachine.Kernel(FourNodes());
        var s = new PerNodeShrinker([40_000, 40_000, 40_000, 40_000], numaAware: true);
        k.Shrinkers.Register(s);

        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL, kswapd: true), 32, 100_000, 0, NodeMask.Of(0));
        Assert.Equal(0, k.Counters.KswapdSlabObjectsScanned);
        Assert.Equal(40_000, s.Objects[0]);
        Assert.Equal(25, k.Shrinkers.DeferredOn(0));

        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL, kswapd: true), 32, 192, 0, NodeMask.Of(1));
        long scanned = k.Counters.KswapdSlabObjectsScanned;
        Assert.InRange(scanned, 13_264 - 1024, 13_264); // whole batches of the 13,264
        Assert.Equal(40_000 - scanned, s.Objects[1]);
        Assert.Equal(13_264 - scanned, k.Shrinkers.DeferredOn(1));

        // Direct reclaim's scanning is in vmstat's slabs_scanned but not kswapd's.
        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), 32, 192, 0, NodeMask.Of(2));
        Assert.True(s.Objects[2] < 40_000);
        Assert.Equal(scanned, k.Counters.KswapdSlabObjectsScanned);
    }

    [Fact]
    public void A_shrinker_that_is_not_numa_aware_runs_only_when_node_0_is_scanned()
    {
        var k = TestMachine.Kernel(FourNodes());
        var s = new PerNodeShrinker([100_000, 0, 0, 0], numaAware: false);
        k.Shrinkers.Register(s);

        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL, kswapd: true), 10_000, 1000, 0, NodeMask.Of(2));
        Assert.Empty(s.Calls);

        k.Shrinkers.ShrinkSlab(Scan(GfpMasks.GFP_KERNEL), 10_000, 1000, 0, NodeMask.All(4));
        Assert.NotEmpty(s.Calls);
        Assert.All(s.Calls, nid => Assert.Equal(0, nid));
    }

    [Fact]
    public void The_superblock_shrinker_counts_a_node_s_dentries_and_every_reclaimable_xfs_inode()
    {
        var k = TestMachine.Kernel(FourNodes());
        var xfs = k.Xfs;
        // Files 0-2 looked up on CPU 0, files 3-4 on CPU 1: their dentries and inodes are on nodes 0 and 1.
        foreach (var (file, cpu) in new[] { (0, 0), (1, 0), (2, 0), (3, 1), (4, 1) })
            OnCpu(k, cpu, () =>
            {
                TestMachine.LookUp(k, file);
                xfs.Unpin(file);
                return 0;
            });
        xfs.Unlink(4); // its inode becomes reclaimable, its negative dentry stays on node 1's list
        Assert.Equal(3, xfs.DentryLru[0].Count);
        Assert.Equal(2, xfs.DentryLru[1].Count);
        Assert.Equal(1, xfs.Reclaimable.Count);

        Assert.Equal(3 + 1, xfs.Shrinker.CountObjects(0));
        Assert.Equal(2 + 1, xfs.Shrinker.CountObjects(1));
        Assert.Equal(0 + 1, xfs.Shrinker.CountObjects(2));

        // Pruning node 1 frees node 1's dentries only.
        Assert.Equal(2, xfs.PruneDcache(10, nid: 1));
        Assert.Equal(3, xfs.DentryLru[0].Count);
        Assert.Equal(1, xfs.InodeLru[1].Count); // file 3's inode, now unused
        Invariants.Check(k);
    }

    [Fact]
    public void The_small_scenario_on_two_nodes_keeps_every_invariant_and_repeats_bit_for_bit()
    {
        var scenario = BuiltinScenarios.Small.WithOverride("nodes", "2").WithOverride("duration", "60s");
        var a = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions { CheckInvariants = true });
        var b = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions());
        Assert.Equal([0, 0, 1], a.End.Zones.Select(z => z.Node));
        // One kswapd per node, and the report's kswapd figures are their sums.
        var kswapds = a.End.Kswapd.Nodes!;
        Assert.Equal([0, 1], kswapds.Select(n => n.Node));
        Assert.Equal(a.End.Kswapd.BalanceRuns, kswapds.Sum(n => n.BalanceRuns));
        Assert.Equal(a.End.Kswapd.SlabObjectsFreed, kswapds.Sum(n => n.SlabObjectsFreed));
        Assert.Equal(a.End.Kswapd.SlabObjectsScanned, kswapds.Sum(n => n.SlabObjectsScanned));
        Assert.All(kswapds, n => Assert.True(n.SlabObjectsScanned >= n.SlabObjectsFreed, $"kswapd{n.Node} freed more than it scanned"));
        Assert.Equal(a.End.Kswapd.PagesReclaimed, kswapds.Sum(n => n.PagesReclaimed));
        Assert.All(kswapds, n => Assert.True(n.BalanceRuns > 0, $"kswapd{n.Node} never balanced"));
        Assert.Equal(Json(a with { WallSeconds = 0 }), Json(b with { WallSeconds = 0 }));

        static string Json(Reporting.RunReport r) =>
            System.Text.Json.JsonSerializer.Serialize(r, Reporting.RunReportJson.Default.RunReport);
    }

    [Fact]
    public void A_one_node_report_has_no_per_node_kswapd_rows()
    {
        var scenario = BuiltinScenarios.Small.WithOverride("duration", "20s");
        var report = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions());
        Assert.Null(report.End.Kswapd.Nodes);
        Assert.All(report.End.Zones, z => Assert.Equal(0, z.Node));
    }

    [Theory]
    [InlineData("0", "nodes: 0 is not between 1 and 8")]
    [InlineData("9", "nodes: 9 is not between 1 and 8")]
    [InlineData("8", "nodes: 8 nodes for 4 CPUs")]
    public void An_impossible_node_count_is_rejected(string nodes, string message)
    {
        var ex = Assert.Throws<ScenarioException>(() => BuiltinScenarios.Small.WithOverride("nodes", nodes).Validate());
        Assert.Contains(message, ex.Message);
    }
}
