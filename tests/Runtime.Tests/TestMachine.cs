using Policyc.Runtime.Mm;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

/// <summary>Builds bare machines for unit tests: the small scenario's shape, shrunk.</summary>
internal static class TestMachine
{
    public static Scenario Tiny(string mem = "64M", string swap = "4M") =>
        BuiltinScenarios.Small
            .WithOverride("mem", mem)
            .WithOverride("swap", swap)
            .WithOverride("kernel-reserved", "0")
            .WithOverride("files", "1000");

    /// <summary>
    /// Runs the scenario twice under the handwritten 3.13 policy, checking the machine's invariants
    /// at every sample, and asserts that the second run is the first one again; returns the first.
    /// </summary>
    public static Reporting.RunReport RunTwiceAlike(Scenario scenario)
    {
        var options = new RunOptions { CheckInvariants = true, SampleIntervalS = 5 };
        var a = Simulation.Run(Linux313Handwritten.Build(), scenario, options);
        var b = Simulation.Run(Linux313Handwritten.Build(), scenario, options);
        Assert.Equal(a.EventsProcessed, b.EventsProcessed);
        Assert.Equal(a.Verdict, b.Verdict);
        Assert.Equal(a.Progress.FilesRemoved, b.Progress.FilesRemoved);
        Assert.Equal(a.Kswapd.SlabObjectsFreed, b.Kswapd.SlabObjectsFreed);
        Assert.Equal(a.End.XfsBuffers, b.End.XfsBuffers);
        return a;
    }

    public static Kernel Kernel(Scenario? scenario = null, Action<Policy.PolicyTableBuilder>? change = null) =>
        new(scenario ?? Tiny(), Linux313Handwritten.Build(change));

    /// <summary>A tiny machine with one fidelity switch set: each switch's tests run it off, then on.</summary>
    public static Kernel WithSwitch(string key, bool on) => Kernel(Tiny().WithOverride(key, on ? "on" : "off"));

    /// <summary>Fills every zone with clean page cache until its free pages drop to <paramref name="leaveFree"/>(zone).</summary>
    public static void FillWithPageCache(Kernel k, Func<Zone, long> leaveFree)
    {
        foreach (var zone in k.Zones)
            while (zone.FreePages > leaveFree(zone))
            {
                int pfn = Buddy.Rmqueue(k.Frames, zone, 0, MigrateType.Movable);
                Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.File, -1);
                zone.Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
            }
    }

    /// <summary>Takes every block of the order the zone can give (as kernel pages of <paramref name="type"/>); returns their first pfns.</summary>
    public static List<int> TakeAll(Kernel k, Zone zone, int order, MigrateType type = MigrateType.Unmovable)
    {
        var held = new List<int>();
        int pfn;
        while ((pfn = Buddy.Rmqueue(k.Frames, zone, order, type)) >= 0)
        {
            Buddy.MarkAllocated(k.Frames, pfn, order, PageState.Kernel, -1);
            held.Add(pfn);
        }
        return held;
    }

    /// <summary>An order-0 reclaim's scan control (direct reclaim unless <paramref name="kswapd"/>), as shrink_slab receives it.</summary>
    public static Vmscan.ScanState Scan(Policy.Gfp gfp, bool kswapd = false)
    {
        var sc = new Vmscan.ScanState();
        sc.Reset(gfp, 0, Vmscan.Reclaim.SwapClusterMax, isKswapd: kswapd);
        return sc;
    }

    /// <summary>lookup: the file's dentry and inode are instantiated (GFP_KERNEL) and in use.</summary>
    public static void LookUp(Kernel k, int file)
    {
        var attempt = new AllocAttempt();
        Assert.Equal(0, k.Xfs.AllocDentry(file, ref attempt));
        Assert.Equal(0, k.Xfs.AllocInode(file, inTransaction: false, ref attempt));
        k.Xfs.Pin(file);
    }
}
