using Policyc.Compiler.Reproduction;
using Policyc.Cli.Rendering;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Reporting;

namespace Policyc.EndToEnd.Tests.Rendering;

public class ViewTests
{
    static string Line(string text, string startsWith) =>
        text.Split('\n').Single(l => l.TrimStart().StartsWith(startsWith, StringComparison.Ordinal));

    static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void The_sweep_summary_gives_free_memory_during_the_livelock_over_the_seeds_that_livelocked()
    {
        var row = new Policyc.Compiler.Sweeping.SweepSummaryRow("linux-3.13", "seed", 3, [("livelock", 2), ("completed", 1)],
            new(1000, 10, 3), new(42, 0, 1), new(11.5, 0.5, 2), new(1.5, 0.2, 2));
        var lines = SweepView.Render([row]).Split('\n');
        Assert.EndsWith("free in livelock (%)", lines[0]);
        Assert.Matches(@"11\.5 ± 0\.5 \(2 of 3\) +1\.5 ± 0\.2 \(2 of 3\)$", lines[1]);
    }

    [Fact]
    public void The_sweep_cells_give_each_draw_its_livelock_state_in_cell_order()
    {
        static Policyc.Compiler.Sweeping.SweepRow Row(int cell, ulong seed, string verdict) => new()
        {
            Id = $"linux-3.13:seed:{seed}", Cell = cell, Policy = "linux-3.13", PolicyFile = "policies/linux-3.13.rpol",
            Scenario = "seed", Seed = seed, Verdict = verdict, FilesRemoved = 0, FilesTotal = 50_000_000, FilesPerSecond = 0,
            KswapdWakeups = 0, KswapdSlabFreed = 0, ReclaimCpuPercent = 0, SimulatedS = 900,
        };
        var rows = new[]
        {
            Row(1, 23, "timeout") with { SetupUnfinished = "create" },
            Row(2, 24, "livelock") with { LivelockOnsetS = 13.4, LivelockRecoveredS = 3600.4, LivelockEndedBy = "drop_caches 2" },
            Row(3, 25, "livelock") with { LivelockOnsetS = 13.4, LivelockRecoveredS = 3600.4 }, // a row written before the cause was kept
            Row(0, 22, "livelock") with
            {
                LivelockOnsetS = 23.718, LivelockFreePercent = 8.101, LivelockSwapFreePercent = 0, LivelockScanSwapMapPercent = 41.08,
                LivelockSwapScansFailed = 5892, LivelockZonesShrunk = 1204, LivelockAnonScanned = 19946, LivelockKswapdDStatePercent = 38.2, ReportBoundsMet = 8,
            },
        };
        var lines = SweepCellsView.Render(rows).Split('\n');
        Assert.Equal(["policy", "scenario", "seed", "verdict", "onset", "(s)"], Cells(lines[0])[..6]);
        Assert.Equal(["linux-3.13", "seed", "22", "livelock", "23.7", "never", "8.1", "0.0", "41.1", "5892", "1204", "19946", "38.2", "8", "of", "12"], Cells(lines[1]));
        Assert.Equal(["linux-3.13", "seed", "23", "timeout", "(set-up:", "create)", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"], Cells(lines[2]));
        Assert.Equal(["linux-3.13", "seed", "24", "livelock", "13.4", "drop_caches", "2"], Cells(lines[3])[..7]);
        Assert.Equal(["linux-3.13", "seed", "25", "livelock", "13.4", "?"], Cells(lines[4])[..6]);
    }

    [Theory]
    [InlineData(null, null, "xfs_buf: 10 inode cluster buffers (80K), 4 held by the log, 6 on the LRU; 3 freed by the buftarg shrinker in the window")]
    [InlineData(10L, 7L, "xfs_buf: 10 directory block buffers (80K), 4 held by the log, 6 on the LRU; 3 freed by the buftarg shrinker, 7 emptied directory blocks freed in the window")]
    [InlineData(2L, 0L, "xfs_buf: 10 buffers, 2 of them directory blocks (80K), 4 held by the log, 6 on the LRU; 3 freed by the buftarg shrinker, 0 emptied directory blocks freed in the window")]
    public void The_xfs_buf_line_names_the_kinds_of_buffer_the_scenario_keeps(long? dirBlocks, long? staleFreed, string expected)
    {
        var report = new XfsBufReport { Buffers = 10, HeldByLog = 4, OnLru = 6, SizeKb = 80, Freed = 3, DirBlocks = dirBlocks, StaleFreed = staleFreed };
        Assert.Equal(expected, RenderedText.Of(XfsBufView.Render(report)).TrimEnd());
    }

    [Fact]
    public void Free_derives_the_buffers_cache_line_as_procps_did()
    {
        var text = RenderedText.Of(FreeView.Render(SeedReport.Free));
        // The report's own "-/+ buffers/cache: 13590412 2833884".
        Assert.Equal(["-/+", "buffers/cache:", "13590412", "2833884"], Cells(Line(text, "-/+")));
        Assert.Equal(["Mem:", "16424296", "13593732", "2830564", "0", "136", "3184"], Cells(Line(text, "Mem:")));
        Assert.Equal(["Swap:", "497976", "497976", "0"], Cells(Line(text, "Swap:")));
    }

    [Fact]
    public void Slabtop_orders_by_cache_size_and_puts_each_quoted_row_under_its_cache()
    {
        var snapshot = SampleReports.SeedLivelock().DuringLivelock!;
        var lines = RenderedText.Of(SlabTopView.Render(snapshot.Slab, SeedReport.Slab)).Split('\n')
            .Where(l => l.Length > 0).Select(l => Cells(l)[^1] == "(report)" ? string.Join(' ', Cells(l)[^2..]) : Cells(l)[^1]).ToList();
        Assert.Equal(["NAME", "xfs_inode", "xfs_inode (report)", "dentry", "dentry (report)", "kmalloc-64", "kmalloc-64 (report)", "xfs_ili"], lines);
    }

    [Fact]
    public void Slabtop_row_has_every_column_in_slabtop_units()
    {
        var cache = new SlabCacheReport { Name = "xfs_inode", Objs = 9486678, ActiveObjs = 9483271, ObjSizeBytes = 1216, Slabs = 364874, ObjsPerSlab = 26, SizeKb = 11675968 };
        var text = RenderedText.Of(SlabTopView.Render([cache]));
        Assert.Equal(["9486678", "9483271", "99%", "1.19K", "364874", "26", "11675968K", "xfs_inode"], Cells(Line(text, "9486678")));
    }

    [Fact]
    public void Zoneinfo_gives_each_zones_lru_lists_beside_its_free_pages()
    {
        var zones = SampleReports.SeedLivelock().DuringLivelock!.Zones;
        var text = RenderedText.Of(ZoneLruView.Render(zones));
        Assert.Equal(["ZONE", "FREE", "INACTIVE", "ANON", "ACTIVE", "ANON", "INACTIVE", "FILE", "ACTIVE", "FILE"], Cells(Line(text, "ZONE")));
        Assert.Equal(["Normal", "19085", "158775", "393980", "660", "750"], Cells(Line(text, "Normal")));
        Assert.Equal(["DMA", "3584", "0", "0", "0", "0"], Cells(Line(text, "DMA")));
        Assert.DoesNotContain("PER-CPU", text);
    }

    [Fact]
    public void Zoneinfo_counts_the_pages_on_the_per_cpu_lists_when_the_run_has_them()
    {
        var zones = SampleReports.SeedLivelock().DuringLivelock!.Zones.Select(z => z with { PcpPages = z.Name == "DMA" ? 0 : 2_976 }).ToList();
        var text = RenderedText.Of(ZoneLruView.Render(zones));
        Assert.Equal(["ZONE", "FREE", "INACTIVE", "ANON", "ACTIVE", "ANON", "INACTIVE", "FILE", "ACTIVE", "FILE", "PER-CPU", "LISTS"], Cells(Line(text, "ZONE")));
        Assert.Equal(["Normal", "19085", "158775", "393980", "660", "750", "2976"], Cells(Line(text, "Normal")));
        Assert.Equal(["DMA", "3584", "0", "0", "0", "0", "0"], Cells(Line(text, "DMA")));
    }

    [Fact]
    public void Swap_info_names_a_lone_free_slot_at_lowest_bit_and_counts_the_scans_that_missed_it()
    {
        var text = RenderedText.Of(SwapInfoView.Render(SampleReports.SeedLivelock().DuringLivelock!.Swap!));
        Assert.Contains("swap_info: 1 slot free, nr_swap_pages 1; lowest_bit 94, highest_bit 124473, cluster_next 24626; lowest free slot 94\n"
            + "the one free slot is lowest_bit, below cluster_next: 3.13's wrap-around scan never looks at it\n", text.Replace("\r", ""));
        Assert.Matches(@"scan_swap_map: \d+ calls, \d+ found no slot, [\d.]+[kMG]? swap_map entries walked \(124379 a call\)", text);
    }

    [Fact]
    public void Swap_info_does_not_call_a_lone_slot_stranded_when_the_next_scan_starts_at_or_before_it()
    {
        var stranded = SampleReports.SeedLivelock().DuringLivelock!.Swap!;
        // cluster_next below lowest_bit: the forward scan reaches the slot.
        var below = stranded with { LowestBit = 65_335, HighestBit = 65_335, FirstFreeSlot = 65_335, ClusterNext = 19_258 };
        Assert.DoesNotContain("never looks", RenderedText.Of(SwapInfoView.Render(below)));
        // cluster_next above highest_bit: the scan starts at lowest_bit.
        var above = stranded with { ClusterNext = stranded.HighestBit + 1 };
        Assert.DoesNotContain("never looks", RenderedText.Of(SwapInfoView.Render(above)));
        Assert.Contains("never looks", RenderedText.Of(SwapInfoView.Render(stranded)));
    }

    [Fact]
    public void Swap_info_of_a_full_map_names_no_slot_and_says_when_nothing_scanned()
    {
        var full = new SwapReport
        {
            FreeSlots = 0, NrSwapPages = 0, LowestBit = 124_494, HighestBit = 0, ClusterNext = 115_852,
            ScanCalls = 0, ScanFailures = 0, EntriesWalked = 0,
        };
        var text = RenderedText.Of(SwapInfoView.Render(full));
        Assert.Equal("swap_info: 0 slots free, nr_swap_pages 0; lowest_bit 124494, highest_bit 0, cluster_next 115852\nscan_swap_map: not called\n",
            text.Replace("\r", ""));
    }

    [Theory]
    [InlineData(1, "; 1 swap-in found the page in the swap cache\n")]
    [InlineData(2, "; 2 swap-ins found the page in the swap cache\n")]
    public void Swap_info_counts_the_swap_ins_that_found_their_page_in_the_swap_cache(long hits, string expected)
    {
        var full = new SwapReport
        {
            FreeSlots = 0, NrSwapPages = 0, LowestBit = 124_494, HighestBit = 0, ClusterNext = 115_852,
            ScanCalls = 0, ScanFailures = 0, EntriesWalked = 0,
        };
        Assert.EndsWith("scan_swap_map: not called" + expected, RenderedText.Of(SwapInfoView.Render(full with { SwapCacheHits = hits })).Replace("\r", ""));
    }

    [Fact]
    public void Buddyinfo_shows_each_zone_with_its_watermarks_and_free_blocks_per_order()
    {
        var zones = SampleReports.SeedLivelock().DuringLivelock!.Zones;
        var text = RenderedText.Of(BuddyInfoView.Render(zones));
        Assert.Equal(["ZONE", "FREE", "MIN", "LOW", "HIGH", "order", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], Cells(Line(text, "ZONE")));
        Assert.Equal(["Normal", "19085", "3329", "4161", "4993", "467", "289", "158", "732", "718", "2", "0", "0", "0", "0", "0"], Cells(Line(text, "Normal")));
        Assert.Equal(["DMA", "3584", "4", "5", "6", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "3"], Cells(Line(text, "DMA")));
    }

    [Fact]
    public void With_several_nodes_each_zone_is_named_with_its_node_and_direct_reclaim_rows_keep_their_own_zone()
    {
        ZoneReport Zone(int node, string name, long free) => new()
        {
            Name = name, Node = node, FreePages = free, MinPages = 996, LowPages = 1245, HighPages = 1494,
            ManagedPages = 1_000_000, FreeBlocks = [free, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        };
        ZoneReclaimReport Reclaim(int node, string name, long shrunk) => new()
        {
            Zone = name, Node = node, SkippedForCompaction = 0, Shrunk = shrunk,
            ScanEqual = 0, ScanFract = 0, ScanAnon = 0, ScanFile = shrunk, AnonScanned = 0, FileScanned = 0,
        };
        ZoneReport[] zones = [Zone(0, "Normal", 638), Zone(1, "Normal", 115590)];
        var buddy = RenderedText.Of(BuddyInfoView.Render(zones));
        Assert.Equal(["Node", "1", "Normal", "115590"], Cells(Line(buddy, "Node 1 Normal"))[..4]);
        var reclaim = RenderedText.Of(DirectReclaimView.Render(zones, [Reclaim(0, "Normal", 7), Reclaim(1, "Normal", 9)], 5));
        Assert.Equal(["Node", "0", "Normal", "638"], Cells(Line(reclaim, "Node 0 Normal"))[..4]);
        Assert.Equal(["Node", "1", "Normal", "115590"], Cells(Line(reclaim, "Node 1 Normal"))[..4]);
    }

    [Fact]
    public void With_several_nodes_kswapd_has_a_row_per_node_and_one_of_totals()
    {
        KswapdReport Node(int node, long runs) => new()
        {
            Node = node, Wakeups = 1, BalanceRuns = runs, PagesReclaimed = 0, SlabObjectsScanned = 16 * runs, SlabObjectsFreed = 10 * runs,
            AsleepPercent = 50, DStatePercent = 0,
        };
        var kswapd = new KswapdReport
        {
            Wakeups = 2, BalanceRuns = 30, SlabObjectsScanned = 480, SlabObjectsFreed = 300, AsleepPercent = 50, Nodes = [Node(0, 10), Node(1, 20)],
        };
        var text = RenderedText.Of(KswapdView.Render(kswapd));
        Assert.Equal(["kswapd1", "1", "20", "50.00%", "0.00%", "0", "320", "200"], Cells(Line(text, "kswapd1")));
        Assert.Equal(["all", "2", "30", "50.00%", "0.00%", "0", "480", "300"], Cells(Line(text, "all")));
        Assert.DoesNotContain("KSWAPD", RenderedText.Of(KswapdView.Render(kswapd with { Nodes = null })));
    }

    [Fact]
    public void Under_the_kswapd_table_each_kswapd_in_D_state_has_its_wait_channel_and_what_it_waits_for()
    {
        var alone = new KswapdReport
        {
            Wakeups = 0, SlabObjectsFreed = 0, DStatePercent = 100,
            DStateWaitChannels = [new WaitChannelShare { WaitChannel = XfsWaitChannels.LogForceLsn, Percent = 100 }],
        };
        Assert.Contains("kswapd in D state in xfs_log_force_lsn 100.00% of the window: waiting for the CIL push, "
            + "which waits for xc_ctx_lock in write mode while commits hold it for read", RenderedText.Of(KswapdView.Render(alone)));

        // With several nodes, a line per kswapd that slept, named by node; a channel nothing explains stands alone.
        KswapdReport Node(int node, IReadOnlyList<WaitChannelShare>? waits) => new()
        {
            Node = node, Wakeups = 1, SlabObjectsFreed = 0, DStatePercent = waits?.Sum(w => w.Percent) ?? 0, DStateWaitChannels = waits,
        };
        var nodes = alone with
        {
            Nodes = [Node(0, null), Node(1, [new WaitChannelShare { WaitChannel = XfsWaitChannels.ReclaimInodesAg, Percent = 60 },
                                             new WaitChannelShare { WaitChannel = "some_wait", Percent = 2.5 }]),
                     Node(2, [new WaitChannelShare { WaitChannel = XfsWaitChannels.LogForce, Percent = 0 }])],
        };
        var lines = RenderedText.Of(KswapdView.Render(nodes)).Split('\n').Where(l => l.Contains(" in D state in ", StringComparison.Ordinal)).ToArray();
        Assert.Equal([
            "kswapd1 in D state in xfs_reclaim_inodes_ag 60.00% of the window: waiting for an AG's reclaim lock, held by another inode reclaim walker",
            "kswapd1 in D state in some_wait 2.50% of the window"], lines[..2].Select(l => l.TrimEnd()));
        // A listed wait whose share rounds to 0 still happened (the line wraps at the render width).
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("kswapd2 in D state in xfs_log_force under 0.01% of the window: waiting for the CIL push", lines[2]);
    }

    [Fact]
    public void The_failing_order_is_worked_through_each_zones_min_watermark()
    {
        var snapshot = SampleReports.SeedLivelock().DuringLivelock!;
        Assert.Equal(5, AllocFailureView.MostFrequent(snapshot)!.Order);
        var text = RenderedText.Of(AllocFailureView.Render(snapshot.Zones, 5));
        // Normal: 19085 free, but only the two order-5 blocks (64 pages) count, and the test wants more
        // than (3329 >> 5) + 31 = 135.
        Assert.Equal(["Normal", "19085", "3329", "0", "64", ">", "135", "-1000", "fails:", "too", "little", "in", "blocks", ">=", "5"],
            Cells(Line(text, "Normal")));
        // DMA holds two large blocks, but an allocation that could use ZONE_NORMAL must leave its lowmem reserve.
        Assert.Equal(["DMA", "3584", "4", "15511", "3584", ">", "31", "-1000", "fails:", "free", "<=", "MIN", "+", "reserve"],
            Cells(Line(text, "DMA")));
    }

    [Fact]
    public void Profile_shows_the_top_ten_heaviest_first_in_perf_style()
    {
        var profile = Enumerable.Range(1, 15).Select(i => new ProfileEntry { Symbol = $"fn{i}", Percent = i }).ToList();
        var rows = RenderedText.Of(ProfileView.Render(profile)).Split('\n').Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(10, rows.Count);
        Assert.Equal(["15.00%", "[kernel]", "[k]", "fn15"], Cells(rows[0]));
        Assert.Equal(["6.00%", "[kernel]", "[k]", "fn6"], Cells(rows[^1]));
    }

    [Fact]
    public void Messages_show_count_and_rate_and_the_reported_rate_on_seed()
    {
        var snapshot = SampleReports.SeedLivelock().DuringLivelock!;
        var text = RenderedText.Of(MessagesView.Render(snapshot.Messages, withSeedReference: true));
        Assert.StartsWith("16012  4.85/s  XFS: possible memory allocation deadlock in kmem_alloc (mode:0x8250)", Line(text, "16012").TrimStart());
        Assert.Contains("5.00/s", Line(text, "5.00/s"));
    }

    [Fact]
    public void Reference_figures_appear_only_for_the_seed_scenario()
    {
        var seed = RenderedText.Of(RunReportView.Render(SampleReports.SeedLivelock()));
        var small = RenderedText.Of(RunReportView.Render(SampleReports.SmallCompleted()));
        Assert.Contains("(report)", seed);
        Assert.Contains(SeedReport.Livelock, seed);
        Assert.DoesNotContain("(report)", small);
        Assert.DoesNotContain(SeedReport.Citation, small);
    }

    [Fact]
    public void Verdict_gives_onset_recovery_and_what_ended_the_livelock()
    {
        var text = RenderedText.Of(VerdictView.Render(SampleReports.SeedLivelock()));
        Assert.Contains("verdict  livelock", text);
        Assert.Contains("onset      300.5 s", text);
        Assert.Contains("recovered  3604.3 s  after 55 min 04 s, ended by drop_caches 2", text);
    }

    [Fact]
    public void Verdict_of_a_livelock_that_ended_with_no_operator_event_says_it_ended_by_itself()
    {
        var report = SampleReports.SeedLivelock();
        report = report with { Livelock = report.Livelock with { EndedBy = "spontaneous" } };
        var text = RenderedText.Of(VerdictView.Render(report));
        Assert.Contains("after 55 min 04 s, ended by itself (no operator event or OOM kill in between)", text);
    }

    [Fact]
    public void Verdict_of_a_run_that_never_left_set_up_names_the_phase_and_the_files_created()
    {
        var report = SampleReports.SmallCompleted() with
        {
            Verdict = "timeout",
            SetupUnfinished = "create",
            WorkloadStartS = null,
            Livelock = SampleReports.SmallCompleted().Livelock with { Detected = false, OnsetS = null, RecoveredS = null },
            Progress = new ProgressReport { FilesRemoved = 0, FilesTotal = 50_000_000, FilesCreated = 46_841_332, FilesPerSecond = 0 },
        };
        var text = RenderedText.Of(VerdictView.Render(report));
        Assert.Contains("the rm never started: set-up was still in its create phase when the run stopped (46841332 of 50000000 files created)", text);
        Assert.DoesNotContain("no livelock", text);
    }

    [Fact]
    public void A_run_stopped_in_its_set_up_times_its_end_from_boot()
    {
        var completed = SampleReports.SmallCompleted();
        var report = completed with
        {
            Verdict = "timeout",
            SetupUnfinished = "create",
            WorkloadStartS = null,
            SimulatedSeconds = 0,
            Livelock = completed.Livelock with { Detected = false, OnsetS = null, RecoveredS = null },
            Progress = new ProgressReport { FilesRemoved = 0, FilesTotal = 50_000_000, FilesCreated = 38_117_866, FilesPerSecond = 0 },
            End = completed.End with { FromS = 0, ToS = 3600 },
        };
        var text = RenderedText.Of(RunReportView.Render(report));
        Assert.Contains("At the stop, in the set-up (create): 3600.0 s after boot (rates over the whole set-up)", text);
        Assert.Contains("completed      no (stopped in the set-up's create phase, 3600.0 s after boot)", text);
        Assert.Contains("simulated 1 h 00 min of set-up in", text);
        Assert.DoesNotContain("stopped at 0.0 s", text);
    }

    [Fact]
    public void Verdict_of_a_livelock_that_never_ended_says_so()
    {
        var report = SampleReports.SeedLivelock() with
        {
            Verdict = "timeout",
            Livelock = new LivelockReport { Detected = true, OnsetS = 300, WindowS = 60 },
            SimulatedSeconds = 7200,
        };
        Assert.Contains("lasted     to the end of the run at 7200.0 s (1 h 55 min)", RenderedText.Of(VerdictView.Render(report)));
    }

    [Fact]
    public void Policy_error_names_the_rule_and_its_position()
    {
        var report = SampleReports.SmallCompleted() with
        {
            Verdict = "policy-error",
            PolicyError = new PolicyErrorReport { Message = "division by zero", File = "policies/bad.rpol", Line = 12, Column = 20, Rule = "gfp.retry_wait", AtS = 3.5 },
        };
        Assert.Contains("policy error at 3.5 s: policies/bad.rpol(12,20): rule gfp.retry_wait: division by zero", RenderedText.Of(VerdictView.Render(report)));
    }
}
