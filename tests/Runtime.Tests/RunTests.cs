using System.Text.Json;
using System.Text.RegularExpressions;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

public class RunTests
{
    /// <summary>The small scenario with the operator's drop at 60 s: a livelock, the drop, completion.</summary>
    static Scenario Short => BuiltinScenarios.Small.WithOverride("drop-caches-at", "60s").WithOverride("duration", "120s");

    [Fact]
    public void Swap_info_and_the_zones_lru_lists_agree_with_what_free_shows()
    {
        var report = Simulation.Run(Linux313Handwritten.Build(), Short, new RunOptions());
        var during = report.DuringLivelock!;
        foreach (var snapshot in new[] { during, report.End })
        {
            var swap = snapshot.Swap!;
            Assert.Equal(snapshot.Memory.SwapFreeKb, swap.FreeSlots * 4);
            Assert.Equal(snapshot.Memory.CachedKb, snapshot.Zones.Sum(z => z.InactiveFilePages + z.ActiveFilePages) * 4);
            Assert.InRange(swap.ScanFailures, 0, swap.ScanCalls);
            Assert.True(swap.FirstFreeSlot is null == (swap.FreeSlots == 0), $"first free slot {swap.FirstFreeSlot} with {swap.FreeSlots} free");
            if (swap.FirstFreeSlot is int slot)
                Assert.InRange(slot, swap.LowestBit, int.MaxValue);
        }
        Assert.True(report.End.Zones.Sum(z => z.InactiveAnonPages + z.ActiveAnonPages) > 0, "the other processes' anon is on the LRU");
    }

    [Fact]
    public void A_set_up_that_outlasts_its_limit_says_which_phase_it_was_in()
    {
        var report = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small.WithOverride("setup-limit", "100ms"), new RunOptions());
        Assert.Equal("timeout", report.Verdict);
        Assert.Null(report.WorkloadStartS);
        Assert.Equal("create", report.SetupUnfinished);
        Assert.InRange(report.Progress.FilesCreated, 1, report.Progress.FilesTotal - 1);
        Assert.Equal(0, report.Progress.FilesRemoved);
        // The rm's clock never started, so the end window is the set-up itself, timed from boot.
        Assert.Equal(0, report.End.FromS);
        Assert.InRange(report.End.ToS, 0.1, 0.2);
        Assert.NotEmpty(report.End.Profile);
        Assert.True(report.End.Slab.Sum(c => c.Objs) > 0, "the files created so far are in the slab");

        var finished = Simulation.Run(Linux313Handwritten.Build(), Short, new RunOptions());
        Assert.Null(finished.SetupUnfinished);
        Assert.Equal(finished.Progress.FilesTotal, finished.Progress.FilesCreated);
    }

    [Theory]
    [InlineData("1s")]   // ends on a sampling tick: the last point is replaced, not doubled
    [InlineData("2.5s")] // ends between ticks
    public void The_series_ends_on_the_state_the_end_snapshot_shows(string duration)
    {
        // The last sample fed the end snapshot only, so a plot stopped up to a second short of it.
        var report = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small.WithOverride("duration", duration), new RunOptions());
        var last = report.Series[^1];
        Assert.Equal((Math.Round(report.End.ToS, 3), report.End.Memory.FreeKb, report.Progress.FilesRemoved), (last.TimeS, last.FreeKb, last.FilesRemoved));
        Assert.Equal(report.Series.Count, report.Series.Select(p => p.TimeS).Distinct().Count());
    }

    [Fact]
    public void A_duration_shorter_than_the_set_up_still_runs_the_rm_for_that_long()
    {
        // The small set-up takes about 1.7 s of virtual time.
        var report = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small.WithOverride("duration", "1s"), new RunOptions());
        Assert.Null(report.SetupUnfinished);
        Assert.True(report.WorkloadStartS > 1.0, $"set-up took {report.WorkloadStartS} s, not longer than the duration");
        Assert.InRange(report.SimulatedSeconds, 1.0, 1.5);
        Assert.True(report.Progress.FilesRemoved > 0, "the rm ran");
    }

    [Fact]
    public void The_small_scenario_livelocks_under_313_and_recovers_after_drop_caches()
    {
        var report = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small, new RunOptions());
        Assert.Equal("livelock", report.Verdict);
        Assert.True(report.Livelock.Detected);
        Assert.True(report.Livelock.OnsetS < 300);
        Assert.InRange(report.Livelock.RecoveredS!.Value, 300, 310);
        Assert.Equal("drop_caches 2", report.Livelock.EndedBy);
        Assert.Equal(report.Progress.FilesTotal, report.Progress.FilesRemoved);

        var during = report.DuringLivelock!;
        // The window is the livelock's own: it closes before the work that follows the recovery.
        Assert.True(during.ToS < report.Livelock.RecoveredS!.Value, $"window ends at {during.ToS}, recovery at {report.Livelock.RecoveredS}");
        Assert.DoesNotContain(during.Profile.Take(3), p => p.Symbol == "xfs_remove");
        Assert.Equal("xfs_inode", during.Slab[0].Name);
        Assert.Equal(0, during.Kswapd.SlabObjectsFreed);
        // Not "never woken": kswapd is awake all through the livelock, balancing and finding every
        // zone balanced at order 0.
        Assert.Equal(0, during.Kswapd.AsleepPercent);
        Assert.Equal(0, during.Kswapd.DStatePercent);
        Assert.True(during.Kswapd.BalanceRuns > 0);
        var message = Assert.Single(during.Messages);
        Assert.Equal("XFS: possible memory allocation deadlock in kmem_alloc (mode:0x8250)", message.Text);
        Assert.True(message.PerSecond > 0);

        // buddyinfo agrees with `free` (512 MiB: no ZONE_NORMAL), and each zone's blocks add up to its free pages.
        Assert.Equal(["DMA", "DMA32"], during.Zones.Select(z => z.Name));
        Assert.Equal(during.Memory.FreeKb, during.Zones.Sum(z => z.FreePages) * 4);
        foreach (var zone in during.Zones)
            Assert.Equal(zone.FreePages, zone.FreeBlocks.Select((n, order) => n << order).Sum());
        Assert.Equal(0, during.Zones[^1].LowmemReservePages);
        Assert.True(during.Zones[0].LowmemReservePages > 0);

        // The looping kmem_alloc calls are the 64 KiB blocks' order-5 log vectors (the page allocator
        // itself loops for order 3 and below), and XFS warns once every 100 of a task's failures.
        Assert.NotEmpty(during.KmemAllocFailures);
        Assert.All(during.KmemAllocFailures, f => Assert.Equal(5, f.Order));
        Assert.True(during.KmemAllocFailures.Sum(f => f.Count) >= 100 * message.Count);

        // vmstat tells the same story: every failing pass stalled in direct reclaim, GFP_NOFS never
        // compacted, the shrinkers deferred rather than scanned, and kswapd's balancing passes are
        // the ones its own table counts.
        Assert.True(during.Vmstat["allocstall"] >= during.KmemAllocFailures.Sum(f => f.Count), $"allocstall {during.Vmstat["allocstall"]}");
        Assert.Equal(0, during.Vmstat["compact_stall"]);
        Assert.Equal(0, during.Vmstat["slabs_scanned"]);
        Assert.Equal(during.Kswapd.BalanceRuns, during.Vmstat["pageoutrun"]);
        // Over the whole run drop_caches hands the shrinkers the slab, batch by batch.
        Assert.True(report.End.Vmstat["slabs_scanned"] >= report.End.Kswapd.SlabObjectsFreed);
        foreach (var window in new[] { during, report.End })
        {
            Assert.Equal(window.Vmstat["compact_stall"], window.Vmstat["compact_fail"] + window.Vmstat["compact_success"]);
            Assert.True(window.Vmstat["pgsteal_direct"] <= window.Vmstat["pgscan_direct"]);
            Assert.True(window.Vmstat["pgsteal_kswapd"] <= window.Vmstat["pgscan_kswapd"]);
            Assert.Equal(window.DirectReclaim.Sum(z => z.AnonScanned + z.FileScanned), window.Vmstat["pgscan_direct"]);
        }
    }

    /// <summary>
    /// The report's trigger is the 64 KiB directory block: its log vector is an order-5 request, above
    /// the order-3 blocks that freed xfs_inode slabs leave and above PAGE_ALLOC_COSTLY_ORDER, so it
    /// fails and kmem_alloc loops. A 32 KiB block's order-4 vector finds the order-4 holes (a few
    /// failures, never the hundred a message takes); 16 KiB and 4 KiB ones need order 3 or less.
    /// </summary>
    [Theory]
    [InlineData("4k", 0)]
    [InlineData("16k", 0)]
    [InlineData("32k", 4)]
    public void Under_313_the_small_scenario_completes_with_directory_blocks_below_64k(string dirBlock, int failingOrder)
    {
        var report = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small.WithOverride("dir-block", dirBlock), new RunOptions());
        Assert.Equal("completed", report.Verdict);
        Assert.Equal(report.Progress.FilesTotal, report.Progress.FilesRemoved);
        Assert.Empty(report.End.Messages);
        Assert.All(report.End.KmemAllocFailures, f => Assert.Equal(failingOrder, f.Order));
        Assert.Equal(failingOrder > 0, report.End.KmemAllocFailures.Count > 0);
    }

    [Fact]
    public void Under_313s_kswapd_loop_the_small_scenario_livelocks_the_same_way_with_kswapd_sleeping_between_wakeups()
    {
        var scenario = BuiltinScenarios.Small.WithOverride("kswapd-loop", "on");
        var report = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions { CheckInvariants = true, SampleIntervalS = 5 });
        Assert.Equal("livelock", report.Verdict);
        Assert.True(report.Livelock.OnsetS < 300);
        Assert.InRange(report.Livelock.RecoveredS!.Value, 300, 310);
        Assert.Equal("drop_caches 2", report.Livelock.EndedBy);
        Assert.Equal(report.Progress.FilesTotal, report.Progress.FilesRemoved);

        var during = report.DuringLivelock!;
        Assert.Equal("xfs_inode", during.Slab[0].Name);
        Assert.Equal(0, during.Kswapd.SlabObjectsFreed);
        Assert.Equal(0, during.Kswapd.PagesReclaimed);
        // The simplified loop stays awake all through (the test above); 3.13's finds the node balanced
        // at order 0, tries to sleep at that order, and the next failing order-5 request wakes it.
        Assert.True(during.Kswapd.Wakeups > 0, "kswapd woken during the livelock");
        Assert.True(during.Kswapd.AsleepPercent > 0, "kswapd asleep between wake-ups");
        Assert.Equal(0, during.Kswapd.DStatePercent);
    }

    [Fact]
    public void Invariants_hold_throughout_a_run()
    {
        var report = Simulation.Run(Linux313Handwritten.Build(), Short, new RunOptions { CheckInvariants = true, SampleIntervalS = 5 });
        Assert.Equal(report.Progress.FilesTotal, report.Progress.FilesRemoved);
    }

    [Fact]
    public void The_same_seed_gives_the_same_report_apart_from_wall_time()
    {
        static string Json(RunReport r) => Regex.Replace(JsonSerializer.Serialize(r, RunReportJson.Default.RunReport), "\"wall_seconds\": [0-9.eE+-]+", "");
        var a = Simulation.Run(Linux313Handwritten.Build(), Short, new RunOptions());
        var b = Simulation.Run(Linux313Handwritten.Build(), Short, new RunOptions());
        Assert.Equal(Json(a), Json(b));
        var c = Simulation.Run(Linux313Handwritten.Build(), Short.WithOverride("seed", "2"), new RunOptions());
        Assert.NotEqual(Json(a), Json(c));
    }

    [Fact]
    public void A_rule_that_faults_ends_the_run_with_policy_error_and_keeps_what_was_measured()
    {
        var origin = new RuleOrigin("broken", "broken.rpol", 12, 5, "retry_wait = 20ms / 0");
        var policy = Linux313Handwritten.Build(b => b.Set(HookId.XfsKmemRetryWait,
            (PolicyHook<long>)((in HookContext c) => throw new PolicyFault(origin, "division by zero")), origin));
        var report = Simulation.Run(policy, Short, new RunOptions());
        Assert.Equal("policy-error", report.Verdict);
        Assert.Equal("broken.rpol", report.PolicyError!.File);
        Assert.Equal(12, report.PolicyError.Line);
        Assert.Equal(5, report.PolicyError.Column);
        Assert.Equal("division by zero", report.PolicyError.Message);
        Assert.True(report.Progress.FilesRemoved > 0);
    }

    [Fact]
    public void Cancelling_returns_the_report_so_far()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.SimulatedS > 5)
                cancel.Cancel();
        });
        var report = Simulation.Run(Linux313Handwritten.Build(), Short, new RunOptions(), progress, cancel.Token);
        Assert.Equal("interrupted", report.Verdict);
        Assert.Contains(report.Events, e => e.Detail == "cancelled");
        Assert.InRange(report.SimulatedSeconds, 5, 7);
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    [Fact]
    public void Other_processes_touching_swapped_pages_while_the_rm_runs_free_swap_slots()
    {
        var quiet = BuiltinScenarios.Small.WithOverride("duration", "60s");
        var busy = quiet.WithOverride("swap-in-rate", "20");
        var a = Simulation.Run(Linux313Handwritten.Build(), quiet, new RunOptions());
        var b = Simulation.Run(Linux313Handwritten.Build(), busy, new RunOptions { CheckInvariants = true, SampleIntervalS = 5 });
        Assert.True(b.End.Memory.SwapFreeKb > a.End.Memory.SwapFreeKb, $"swap free {b.End.Memory.SwapFreeKb} KiB with swap-ins, {a.End.Memory.SwapFreeKb} KiB without");
    }

    [Fact]
    public void The_swap_ins_take_their_pages_from_the_node_of_the_cpu_they_run_on()
    {
        // Two nodes, CPUs dealt round robin: CPU 0 is node 0's, CPU 1 node 1's. A swapped-in page goes
        // to the head of its zone's active anon list, so that list grows on the swap-ins' own node.
        var twoNodes = BuiltinScenarios.Small.WithOverride("nodes", "2").WithOverride("swap-in-rate", "200").WithOverride("duration", "60s");
        long ActiveAnon(RunReport r, int node) => r.End.Zones.Where(z => z.Node == node).Sum(z => z.ActiveAnonPages);
        var onNode0 = Simulation.Run(Linux313Handwritten.Build(), twoNodes.WithOverride("swap-in-cpu", "0"), new RunOptions { CheckInvariants = true });
        var onNode1 = Simulation.Run(Linux313Handwritten.Build(), twoNodes.WithOverride("swap-in-cpu", "1"), new RunOptions { CheckInvariants = true });
        Assert.True(ActiveAnon(onNode0, 0) > ActiveAnon(onNode1, 0) && ActiveAnon(onNode1, 1) > ActiveAnon(onNode0, 1),
            $"active anon by node: swap-ins on CPU 0 {ActiveAnon(onNode0, 0)}/{ActiveAnon(onNode0, 1)}, on CPU 1 {ActiveAnon(onNode1, 0)}/{ActiveAnon(onNode1, 1)}");
    }
}
