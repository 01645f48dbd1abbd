using Policyc.Runtime.Reporting;

namespace Policyc.EndToEnd.Tests.Fixtures;

/// <summary>
/// Hand-made reports with the shape the simulator produces, for testing the views and plots without a run.
/// The figures are invented but plausible; they are not the simulator's results.
/// </summary>
public static class SampleReports
{
    const string Deadlock = "XFS: possible memory allocation deadlock in kmem_alloc (mode:0x8250)";

    /// <summary>A seed-scenario run that livelocks at 300 s and recovers after drop_caches at 3600 s.</summary>
    public static RunReport SeedLivelock() => new()
    {
        Policy = "linux-3.13",
        Lineage = ["linux-3.13"],
        Scenario = "seed",
        ScenarioBase = "seed",
        ScenarioSettings = [],
        Seed = 7,
        Verdict = "livelock",
        Livelock = new LivelockReport { Detected = true, OnsetS = 300.5, RecoveredS = 3604.25, EndedBy = "drop_caches 2", WindowS = 60 },
        Progress = new ProgressReport { FilesRemoved = 9_500_000, FilesTotal = 9_500_000, CompletedS = 4410, FilesPerSecond = 2154.2 },
        SimulatedSeconds = 4410,
        DuringLivelock = Snapshot(300.5, 3604.25, freeKb: 2_901_112, scanSwapMap: 46.12, deadlockCount: 16_012, deadlockRate: 4.85, kswapdSlabFreed: 0),
        End = Snapshot(0, 4410, freeKb: 15_012_000, scanSwapMap: 35.02, deadlockCount: 16_012, deadlockRate: 3.63, kswapdSlabFreed: 120_443),
        Kswapd = new KswapdReport { Wakeups = 41, SlabObjectsScanned = 181_248, SlabObjectsFreed = 120_443, PagesReclaimed = 88_120, BalanceRuns = 63, AsleepPercent = 91.5, DStatePercent = 2.5 },
        Series = Series(4410, 300.5, 3604.25, 9_500_000),
        Events =
        [
            new TimelineEvent { AtS = 0, Kind = "workload", Detail = "16 concurrent rm -rf started" },
            new TimelineEvent { AtS = 3600, Kind = "operator", Detail = "drop_caches 2: 13120443 slab objects and 12 page-cache pages freed" },
        ],
        WallSeconds = 12.5,
        EventsProcessed = 48_120_330,
    };

    /// <summary>A small-scenario run of a fixed policy: no livelock, the rm completes.</summary>
    public static RunReport SmallCompleted(string policy = "linux-3.14-swapfix") => new()
    {
        Policy = policy,
        Lineage = [policy, "linux-3.13"],
        Scenario = "small",
        ScenarioBase = "small",
        ScenarioSettings = ["duration=120s"],
        Seed = 7,
        Verdict = "completed",
        Livelock = new LivelockReport { Detected = false, WindowS = 60 },
        Progress = new ProgressReport { FilesRemoved = 200_000, FilesTotal = 200_000, CompletedS = 95.5, FilesPerSecond = 2094.2 },
        SimulatedSeconds = 95.5,
        DuringLivelock = null,
        End = Snapshot(0, 95.5, freeKb: 400_000, scanSwapMap: 1.5, deadlockCount: 0, deadlockRate: 0, kswapdSlabFreed: 50_000),
        Kswapd = new KswapdReport { Wakeups = 12, SlabObjectsScanned = 65_536, SlabObjectsFreed = 50_000, PagesReclaimed = 1_200, BalanceRuns = 20 },
        Series = Series(95.5, null, null, 200_000),
        Events = [],
        WallSeconds = 0.8,
        EventsProcessed = 1_000_000,
    };

    static Snapshot Snapshot(double from, double to, long freeKb, double scanSwapMap, long deadlockCount, double deadlockRate, long kswapdSlabFreed)
    {
        const long total = 16_424_296;
        List<MessageReport> messages = deadlockCount == 0 ? [] : [new MessageReport { Text = Deadlock, Count = deadlockCount, PerSecond = deadlockRate }];
        return new Snapshot
        {
            FromS = from,
            ToS = to,
            Memory = new MemoryReport
            {
                TotalKb = total, FreeKb = freeKb, UsedKb = total - freeKb, BuffersKb = 140, CachedKb = 3_020,
                SwapTotalKb = 497_976, SwapUsedKb = 497_976, SwapFreeKb = 0,
            },
            Slab =
            [
                new SlabCacheReport { Name = "kmalloc-64", Objs = 4_819_968, ActiveObjs = 4_819_968, ObjSizeBytes = 64, Slabs = 75_312, ObjsPerSlab = 64, SizeKb = 301_248 },
                new SlabCacheReport { Name = "xfs_inode", Objs = 9_490_004, ActiveObjs = 9_487_110, ObjSizeBytes = 1216, Slabs = 365_000, ObjsPerSlab = 26, SizeKb = 11_680_000 },
                new SlabCacheReport { Name = "dentry", Objs = 4_820_012, ActiveObjs = 4_820_012, ObjSizeBytes = 216, Slabs = 130_271, ObjsPerSlab = 37, SizeKb = 1_042_168 },
                new SlabCacheReport { Name = "xfs_ili", Objs = 10_000, ActiveObjs = 9_000, ObjSizeBytes = 152, Slabs = 385, ObjsPerSlab = 26, SizeKb = 1_540 },
            ],
            Zones =
            [
                new ZoneReport { Name = "DMA", FreePages = 3_584, MinPages = 4, LowPages = 5, HighPages = 6, LowmemReservePages = 15_511,
                    ManagedPages = 3_976, FreeBlocks = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3] },
                new ZoneReport { Name = "Normal", FreePages = 19_085, MinPages = 3_329, LowPages = 4_161, HighPages = 4_993,
                    ManagedPages = 3_276_800, FreeBlocks = [467, 289, 158, 732, 718, 2, 0, 0, 0, 0, 0],
                    InactiveAnonPages = 158_775, ActiveAnonPages = 393_980, InactiveFilePages = 660, ActiveFilePages = 750 },
            ],
            // During the livelock the one free slot sits at lowest_bit and every scan walks the map and fails.
            Swap = new SwapReport
            {
                FreeSlots = deadlockCount == 0 ? 0 : 1, NrSwapPages = deadlockCount == 0 ? 0 : 1,
                LowestBit = deadlockCount == 0 ? 124_494 : 94, HighestBit = deadlockCount == 0 ? 0 : 124_473, ClusterNext = 24_626,
                FirstFreeSlot = deadlockCount == 0 ? null : 94,
                ScanCalls = 800 * deadlockCount, ScanFailures = 800 * deadlockCount, EntriesWalked = 800L * deadlockCount * 124_379,
            },
            DirectReclaim = deadlockCount == 0 ? [] :
            [
                new ZoneReclaimReport { Zone = "DMA", SkippedForCompaction = 100 * deadlockCount, Shrunk = 0,
                    ScanEqual = 0, ScanFract = 0, ScanAnon = 0, ScanFile = 0, AnonScanned = 0, FileScanned = 0 },
                new ZoneReclaimReport { Zone = "Normal", SkippedForCompaction = 0, Shrunk = 100 * deadlockCount,
                    ScanEqual = 0, ScanFract = 25 * deadlockCount, ScanAnon = 75 * deadlockCount, ScanFile = 0,
                    AnonScanned = 800 * deadlockCount, FileScanned = 0 },
            ],
            Profile =
            [
                new ProfileEntry { Symbol = "shrink_page_list", Percent = 12.5 },
                new ProfileEntry { Symbol = "scan_swap_map", Percent = scanSwapMap },
                new ProfileEntry { Symbol = "kmem_alloc", Percent = 3.25 },
                new ProfileEntry { Symbol = "xfs_remove", Percent = 1.0 },
            ],
            Messages = messages,
            KmemAllocFailures = deadlockCount == 0 ? [] :
            [
                new AllocFailureReport { Order = 4, Count = 2 * deadlockCount, PerSecond = 2 * deadlockRate },
                new AllocFailureReport { Order = 5, Count = 98 * deadlockCount, PerSecond = 98 * deadlockRate },
            ],
            Vmstat = new Dictionary<string, long>
            {
                ["allocstall"] = 100 * deadlockCount, ["pgscan_kswapd"] = 12, ["pgscan_direct"] = 800 * deadlockCount,
                ["pgsteal_kswapd"] = 10, ["pgsteal_direct"] = 0, ["slabs_scanned"] = kswapdSlabFreed,
                ["pageoutrun"] = 3, ["compact_stall"] = deadlockCount == 0 ? 7 : 0, ["compact_fail"] = deadlockCount == 0 ? 5 : 0,
                ["compact_success"] = deadlockCount == 0 ? 2 : 0, ["pswpin"] = 41, ["pswpout"] = 40,
            },
            Kswapd = new KswapdReport
            {
                Wakeups = 3, SlabObjectsScanned = kswapdSlabFreed, SlabObjectsFreed = kswapdSlabFreed, PagesReclaimed = 10, BalanceRuns = 3,
                AsleepPercent = kswapdSlabFreed == 0 ? 99.5 : 12.25, DStatePercent = kswapdSlabFreed == 0 ? 0.5 : 0,
            },
            ReclaimCpuPercent = scanSwapMap + 20,
        };
    }

    /// <summary>One sample a second: slab grows until the livelock, flat during it, dropped at recovery.</summary>
    static IReadOnlyList<TimePoint> Series(double duration, double? onset, double? recovered, long files)
    {
        var points = new List<TimePoint>();
        for (double t = 0; t <= duration; t += Math.Max(1, duration / 400))
        {
            bool stuck = onset is { } o && t >= o && (recovered is null || t < recovered);
            double fraction = onset is { } o2 && recovered is { } r
                ? (t < o2 ? t / o2 * 0.5 : stuck ? 0.5 : 0.5 + 0.5 * (t - r) / (duration - r))
                : t / duration;
            points.Add(new TimePoint
            {
                TimeS = t,
                FreeKb = stuck ? 2_900_000 : 3_000_000 + (long)(t * 100),
                SlabKb = (long)(13_000_000 * (stuck ? 1 : 1 - fraction)),
                SwapUsedKb = 497_976,
                CachedKb = 3_000,
                FilesRemoved = (long)(files * Math.Clamp(fraction, 0, 1)),
            });
        }
        return points;
    }
}
