using System.Text.Json;
using Policyc.Cli.Output;
using Policyc.Cli.Rendering;
using Policyc.Cli.Reporting;
using Policyc.Compiler.Reproduction;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Runtime.Reporting;
using Xunit;

namespace Policyc.EndToEnd.Tests.Rendering;

public class SeedBoundsTests
{
    static BoundCheck Bound(RunReport report, string startsWith) =>
        Assert.Single(SeedBounds.Check(report), c => c.Bound.StartsWith(startsWith, StringComparison.Ordinal));

    static RunReport WithDuring(Func<Snapshot, Snapshot> change)
    {
        var report = SampleReports.SeedLivelock();
        return report with { DuringLivelock = change(report.DuringLivelock!) };
    }

    [Fact]
    public void A_run_in_the_reports_state_meets_every_bound()
    {
        var checks = SeedBounds.Check(SampleReports.SeedLivelock());
        Assert.Equal(12, checks.Count);
        Assert.Equal(SeedBounds.Count, checks.Count);
        Assert.All(checks, c => Assert.True(c.Met, $"{c.Bound}: {c.Simulated}"));
        Assert.Equal("17.66%", Bound(SampleReports.SeedLivelock(), "free memory").Simulated);
    }

    [Fact]
    public void Each_figure_outside_its_range_fails_its_own_bound()
    {
        var tooFree = WithDuring(w => w with { Memory = w.Memory with { FreeKb = w.Memory.TotalKb / 3, UsedKb = w.Memory.TotalKb - w.Memory.TotalKb / 3 } });
        Assert.False(Bound(tooFree, "free memory").Met);
        Assert.True(Bound(tooFree, "swap free").Met);

        var swapLeft = WithDuring(w => w with { Memory = w.Memory with { SwapFreeKb = w.Memory.SwapTotalKb / 50, SwapUsedKb = w.Memory.SwapTotalKb - w.Memory.SwapTotalKb / 50 } });
        Assert.False(Bound(swapLeft, "swap free").Met);

        var burnElsewhere = WithDuring(w => w with { Profile = [new ProfileEntry { Symbol = "__alloc_pages_slowpath", Percent = 66.04 }] });
        var burn = Bound(burnElsewhere, "top profile symbol");
        Assert.False(burn.Met);
        Assert.Equal("__alloc_pages_slowpath 66.04%; scan_swap_map 0.00%", burn.Simulated);

        var tooHot = WithDuring(w => w with { Profile = [new ProfileEntry { Symbol = "scan_swap_map", Percent = 84.6 }] });
        Assert.False(Bound(tooHot, "top profile symbol").Met);

        var kswapdWorked = WithDuring(w => w with { Kswapd = w.Kswapd with { SlabObjectsFreed = 1 } });
        Assert.False(Bound(kswapdWorked, "kswapd frees").Met);

        var dentryFirst = WithDuring(w => w with { Slab = [.. w.Slab.Select(s => s.Name == "dentry" ? s with { SizeKb = 20_000_000 } : s)] });
        Assert.Equal("dentry, xfs_inode, kmalloc-64", Bound(dentryFirst, "slabtop order").Simulated);
        Assert.False(Bound(dentryFirst, "slabtop order").Met);
    }

    // A missed burn says which step of the report's stack (NOFS direct reclaim scanning anon) did not happen.
    [Fact]
    public void A_missed_burn_says_how_far_direct_reclaim_got()
    {
        var noBurn = new[] { new ProfileEntry { Symbol = "__alloc_pages_slowpath", Percent = 66.04 } };
        static ZoneReclaimReport Zone(string name, long skipped, long shrunk, long anon) => new()
        {
            Zone = name, SkippedForCompaction = skipped, Shrunk = shrunk,
            ScanEqual = 0, ScanFract = 0, ScanAnon = 0, ScanFile = shrunk, AnonScanned = anon, FileScanned = 0,
        };

        var skippedAll = WithDuring(w => w with { Profile = noBurn, DirectReclaim = [Zone("DMA32", 1_859, 0, 0), Zone("Normal", 9_218, 0, 0)] });
        Assert.Equal("direct reclaim shrank no zone: it skipped the zone as ready for compaction on all 11,077 visits",
            Bound(skippedAll, "top profile symbol").Why);

        var noAnon = WithDuring(w => w with { Profile = noBurn, DirectReclaim = [Zone("DMA32", 10, 0, 0), Zone("Normal", 0, 42, 0)] });
        Assert.Equal("direct reclaim shrank a zone 42 times but scanned no anon page, so nothing asked for a swap slot",
            Bound(noAnon, "top profile symbol").Why);

        var noReclaim = WithDuring(w => w with { Profile = noBurn, DirectReclaim = [] });
        Assert.Equal("no direct reclaim in the window", Bound(noReclaim, "top profile symbol").Why);

        // With anon scanned, the window's reclaim does not say why the burn is low: no reason is made up.
        var scanned = WithDuring(w => w with { Profile = noBurn });
        Assert.Null(Bound(scanned, "top profile symbol").Why);
        // A bound that holds, or one with no reason to give, has none.
        Assert.All(SeedBounds.Check(SampleReports.SeedLivelock()), c => Assert.Null(c.Why));
        Assert.Null(Bound(WithDuring(w => w with { Kswapd = w.Kswapd with { SlabObjectsFreed = 1 } }), "kswapd frees").Why);
    }

    [Fact]
    public void The_livelock_must_end_by_the_drop_and_soon_after_it()
    {
        var report = SampleReports.SeedLivelock();
        var late = report with { Livelock = report.Livelock with { RecoveredS = 3611 } };
        Assert.False(Bound(late, "recovery within 10 s").Met);

        var byItself = report with { Livelock = report.Livelock with { RecoveredS = 3601, EndedBy = "spontaneous" } };
        Assert.False(Bound(byItself, "recovery within 10 s").Met);

        var afterTheDrop = report with { Livelock = report.Livelock with { OnsetS = 3650 } };
        Assert.False(Bound(afterTheDrop, "onset before").Met);

        var noDrop = report with { Events = [.. report.Events.Where(e => e.Kind != "operator")] };
        Assert.False(Bound(noDrop, "onset before").Met);
        Assert.False(Bound(noDrop, "the rm completes").Met);
    }

    [Fact]
    public void Without_a_livelock_every_bound_on_its_window_fails_and_says_why()
    {
        var report = SampleReports.SeedLivelock() with
        {
            Verdict = "completed",
            Livelock = new LivelockReport { Detected = false, WindowS = 60 },
            DuringLivelock = null,
        };
        var checks = SeedBounds.Check(report);
        Assert.Equal(12, checks.Count);
        Assert.Equal(12, checks.Count(c => !c.Met) + 1); // only "the rm completes after it" holds
        Assert.Equal(8, checks.Count(c => c.Simulated == "no livelock window"));
    }

    [Fact]
    public void The_run_json_carries_the_bounds_on_the_reports_machine_and_only_there()
    {
        string dir = Directory.CreateTempSubdirectory("policyc-bounds-").FullName;
        try
        {
            string seed = Path.Combine(dir, "seed.json"), small = Path.Combine(dir, "small.json");
            ReportFiles.WriteJson(seed, SampleReports.SeedLivelock());
            ReportFiles.WriteJson(small, SampleReports.SmallCompleted());

            using var seedJson = JsonDocument.Parse(File.ReadAllText(seed));
            var bounds = seedJson.RootElement.GetProperty("report_bounds");
            Assert.Equal(12, bounds.GetArrayLength());
            Assert.Equal("free memory 12-25% of total", bounds[4].GetProperty("bound").GetString());
            Assert.Equal("17.66%", bounds[4].GetProperty("simulated").GetString());
            Assert.True(bounds[4].GetProperty("met").GetBoolean());
            Assert.False(bounds[4].TryGetProperty("why", out _)); // written only for a bound missed with a reason
            Assert.Equal("livelock", seedJson.RootElement.GetProperty("verdict").GetString());

            using var smallJson = JsonDocument.Parse(File.ReadAllText(small));
            Assert.False(smallJson.RootElement.TryGetProperty("report_bounds", out _));

            string compare = Path.Combine(dir, "compare.json");
            ReportFiles.WriteJson(compare, new CompareReport { Scenario = "seed", Seed = 7, Runs = [SampleReports.SeedLivelock(), SampleReports.SmallCompleted()] });
            using var compareJson = JsonDocument.Parse(File.ReadAllText(compare));
            var runs = compareJson.RootElement.GetProperty("runs");
            Assert.Equal(12, runs[0].GetProperty("report_bounds").GetArrayLength());
            Assert.False(runs[1].TryGetProperty("report_bounds", out _));
            Assert.Equal("linux-3.14-swapfix", runs[1].GetProperty("policy").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_sweep_row_counts_the_bounds_met_on_the_reports_machine()
    {
        var cell = new Policyc.Compiler.Sweeping.SweepCell(0, "linux-3.13:seed:7", "policies/linux-3.13.rpol", "seed", 7);
        Assert.Equal(SeedBounds.Count, Policyc.Compiler.Sweeping.SweepRow.From(cell, SampleReports.SeedLivelock()).ReportBoundsMet);
        var burnElsewhere = WithDuring(w => w with { Profile = [new ProfileEntry { Symbol = "__alloc_pages_slowpath", Percent = 66.04 }] });
        Assert.Equal(SeedBounds.Count - 1, Policyc.Compiler.Sweeping.SweepRow.From(cell, burnElsewhere).ReportBoundsMet);
        Assert.Null(Policyc.Compiler.Sweeping.SweepRow.From(cell with { Scenario = "small" }, SampleReports.SmallCompleted()).ReportBoundsMet);
    }

    [Fact]
    public void The_bounds_apply_to_runs_on_the_reports_machine_only()
    {
        Assert.True(SeedBounds.AppliesTo(SampleReports.SeedLivelock()));
        Assert.True(SeedBounds.AppliesTo(SampleReports.SeedLivelock() with { Scenario = "seed-4nodes", ScenarioBase = "seed-minimal" }));
        Assert.False(SeedBounds.AppliesTo(SampleReports.SmallCompleted()));
        // A scenario file on the report's machine shows the report's rows too, not only the built-in seed.
        var fourNodes = RenderedText.Of(RunReportView.Render(SampleReports.SeedLivelock() with { Scenario = "seed-4nodes", ScenarioBase = "seed" }));
        Assert.Contains("grey rows: LKML", fourNodes);
        Assert.Contains("Against the report's bounds", fourNodes);
        Assert.DoesNotContain("grey rows: LKML", RenderedText.Of(RunReportView.Render(SampleReports.SmallCompleted())));
    }
}
