using System.Text.Json.Serialization;

namespace Policyc.Runtime.Reporting;

// The result of one simulation run, as written by `policyc run --json`. Property names are the JSON
// schema (snake_case via RunReportJson); docs/run-json.md documents it. Keep additions backward compatible.

public sealed record RunReport
{
    public required string Policy { get; init; }
    public required IReadOnlyList<string> Lineage { get; init; }
    public required string Scenario { get; init; }
    /// <summary>The built-in scenario the run's scenario starts from.</summary>
    public required string ScenarioBase { get; init; }
    /// <summary>The fields set on top of <see cref="ScenarioBase"/>, <c>key=value</c> in the order applied (a scenario file's, then the command line's).</summary>
    public required IReadOnlyList<string> ScenarioSettings { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>livelock, completed, oom, timeout or policy-error.</summary>
    public required string Verdict { get; init; }
    public required LivelockReport Livelock { get; init; }
    public required ProgressReport Progress { get; init; }
    public required double SimulatedSeconds { get; init; }
    /// <summary>
    /// When the rm workload started, in virtual seconds since boot (the clock hooks see as <c>clock.now</c>);
    /// every other time in the report counts from here. Null if the set-up never finished.
    /// </summary>
    public double? WorkloadStartS { get; init; }
    /// <summary>
    /// When the run stopped before the rm started (setup-limit, cancellation, event budget): the set-up phase it was in (boot, memhog,
    /// aging, create, swap-in). Null once the workload has started.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SetupUnfinished { get; init; }
    /// <summary>Snapshot over the livelock window (null when there was none).</summary>
    public Snapshot? DuringLivelock { get; init; }
    /// <summary>Snapshot at the end: state at the end, rates over the whole run.</summary>
    public required Snapshot End { get; init; }
    public required KswapdReport Kswapd { get; init; }
    public PolicyErrorReport? PolicyError { get; init; }
    /// <summary>Samples over virtual time, for plots.</summary>
    public required IReadOnlyList<TimePoint> Series { get; init; }
    /// <summary>Operator events and what happened (drop_caches, OOM kills).</summary>
    public required IReadOnlyList<TimelineEvent> Events { get; init; }
    public required double WallSeconds { get; init; }
    public required long EventsProcessed { get; init; }
}

public sealed record LivelockReport
{
    public required bool Detected { get; init; }
    public double? OnsetS { get; init; }
    public double? RecoveredS { get; init; }
    /// <summary>What ended it: "drop_caches 2", "oom-kill", or null while it lasted to the end.</summary>
    public string? EndedBy { get; init; }
    /// <summary>The window of no progress that defines a livelock, in virtual seconds.</summary>
    public required double WindowS { get; init; }
}

public sealed record ProgressReport
{
    public required long FilesRemoved { get; init; }
    public required long FilesTotal { get; init; }
    /// <summary>Files the set-up's fs_mark created (the whole tree once the rm has started).</summary>
    public long FilesCreated { get; init; }
    public double? CompletedS { get; init; }
    public required double FilesPerSecond { get; init; }
}

public sealed record Snapshot
{
    /// <summary>The window the rates and profile cover, in virtual seconds.</summary>
    public required double FromS { get; init; }
    public required double ToS { get; init; }
    public required MemoryReport Memory { get; init; }
    public required IReadOnlyList<SlabCacheReport> Slab { get; init; }
    /// <summary>/proc/buddyinfo and the zone watermarks, at the same moment as <see cref="Memory"/>.</summary>
    public IReadOnlyList<ZoneReport> Zones { get; init; } = [];
    public required IReadOnlyList<ProfileEntry> Profile { get; init; }
    public required IReadOnlyList<MessageReport> Messages { get; init; }
    /// <summary>XFS kmem_alloc calls that got NULL and looped, by the order of the failed page allocation, over the window.</summary>
    public IReadOnlyList<AllocFailureReport> KmemAllocFailures { get; init; } = [];
    /// <summary>The swap map at the window's end and scan_swap_map's work over it; null without a swap device.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SwapReport? Swap { get; init; }
    /// <summary>XFS's buffer cache; null without the scenario's xfs-buffer-cache and xfs-dir-buffers.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public XfsBufReport? XfsBuffers { get; init; }
    /// <summary>What direct reclaim did with each zone over the window, in the order of <see cref="Zones"/>.</summary>
    public IReadOnlyList<ZoneReclaimReport> DirectReclaim { get; init; } = [];
    /// <summary>/proc/vmstat's reclaim events over the window, by the kernel's names (<see cref="Mm.VmEvents"/>).</summary>
    public IReadOnlyDictionary<string, long> Vmstat { get; init; } = new Dictionary<string, long>();
    public required KswapdReport Kswapd { get; init; }
    /// <summary>Share of all CPU time spent in reclaim (direct reclaim, kswapd, shrinkers, compaction), percent.</summary>
    public required double ReclaimCpuPercent { get; init; }

    /// <summary>The profile's share of one symbol, 0 if it took no CPU in the window.</summary>
    public double ProfilePercent(string symbol) => Profile.FirstOrDefault(p => p.Symbol == symbol)?.Percent ?? 0;
}

/// <summary>What `free` prints, in KiB.</summary>
public sealed record MemoryReport
{
    public required long TotalKb { get; init; }
    public required long FreeKb { get; init; }
    public required long UsedKb { get; init; }
    public required long BuffersKb { get; init; }
    public required long CachedKb { get; init; }
    public required long SwapTotalKb { get; init; }
    public required long SwapUsedKb { get; init; }
    public required long SwapFreeKb { get; init; }
}

/// <summary>One slabtop row.</summary>
public sealed record SlabCacheReport
{
    public required string Name { get; init; }
    public required long Objs { get; init; }
    /// <summary>
    /// active_objs as SLUB's /proc/slabinfo gives it: every object but the free ones on the node partial
    /// lists, so free objects in a CPU's active slab or on its partial list count as active.
    /// </summary>
    public required long ActiveObjs { get; init; }
    public required long ObjSizeBytes { get; init; }
    public required long Slabs { get; init; }
    public required long ObjsPerSlab { get; init; }
    public required long SizeKb { get; init; }
}

/// <summary>
/// One zone as /proc/buddyinfo and /proc/zoneinfo show it, in pages: the free blocks of each order
/// (free_area[order].nr_free) and the watermarks. Free memory in blocks below a request's order does
/// not count for it, so this is where "free memory, yet a 64 KiB allocation fails" shows.
/// </summary>
public sealed record ZoneReport
{
    public required string Name { get; init; }
    /// <summary>The NUMA node the zone belongs to (0 on a one-node machine).</summary>
    public int Node { get; init; }
    public required long FreePages { get; init; }
    public required long MinPages { get; init; }
    public required long LowPages { get; init; }
    public required long HighPages { get; init; }
    /// <summary>lowmem_reserve against an allocation that could have used the highest zone (0 for the highest zone itself).</summary>
    public long LowmemReservePages { get; init; }
    /// <summary>managed_pages: the zone's pages less those reserved at boot (the balance gap is 1% of them).</summary>
    public long ManagedPages { get; init; }
    /// <summary>Free blocks per order, 0 to MAX_ORDER-1.</summary>
    public required IReadOnlyList<long> FreeBlocks { get; init; }
    /// <summary>
    /// /proc/zoneinfo's nr_inactive_anon, nr_active_anon, nr_inactive_file and nr_active_file: the LRU
    /// lists get_scan_count weighs (free plus file against HIGH, inactive against active file).
    /// </summary>
    public long InactiveAnonPages { get; init; }
    public long ActiveAnonPages { get; init; }
    public long InactiveFilePages { get; init; }
    public long ActiveFilePages { get; init; }
    /// <summary>
    /// /proc/zoneinfo's pagesets: free pages on the zone's per-CPU lists, all CPUs together, outside
    /// FreePages (scenario switch pcp-lists; absent without the lists).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PcpPages { get; init; }
}

/// <summary>
/// XFS's buffer cache (scenarios xfs-buffer-cache and xfs-dir-buffers): how many buffers are in
/// memory, how many the log holds, and how many were freed over the window. Their pages count as used memory.
/// </summary>
public sealed record XfsBufReport
{
    /// <summary>Buffers in memory at the window's end: inode cluster buffers and directory data blocks.</summary>
    public required long Buffers { get; init; }
    /// <summary>Of those, directory data blocks; null without the scenario's xfs-dir-buffers.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DirBlocks { get; init; }
    /// <summary>Of those, logged and not yet written back: held by their log items, the shrinker cannot touch them.</summary>
    public required long HeldByLog { get; init; }
    /// <summary>Of those, clean and unused, on the buftarg LRU.</summary>
    public required long OnLru { get; init; }
    /// <summary>Their pages, in KiB.</summary>
    public required long SizeKb { get; init; }
    /// <summary>Buffers the buftarg shrinker freed over the window.</summary>
    public required long Freed { get; init; }
    /// <summary>Directory data blocks the rm emptied whose stale buffers were freed over the window; null without xfs-dir-buffers.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? StaleFreed { get; init; }
}

/// <summary>
/// The swap device's swap_info_struct at the window's end, and what scan_swap_map did over the window.
/// A free slot that the scans do not find shows here: free slots above zero while every call fails.
/// </summary>
public sealed record SwapReport
{
    /// <summary>Slots not in use (swap_map entry 0), counted over the map.</summary>
    public required long FreeSlots { get; init; }
    /// <summary>nr_swap_pages: the free slots as get_swap_page believes, which gates anon scanning.</summary>
    public required long NrSwapPages { get; init; }
    public required int LowestBit { get; init; }
    public required int HighestBit { get; init; }
    public required int ClusterNext { get; init; }
    /// <summary>The lowest free slot, or null when the map is full.</summary>
    public int? FirstFreeSlot { get; init; }
    /// <summary>scan_swap_map calls in the window, those that found no slot, and the swap_map entries they walked.</summary>
    public required long ScanCalls { get; init; }
    public required long ScanFailures { get; init; }
    public required long EntriesWalked { get; init; }
    /// <summary>Swap-ins in the window that found their page still in the swap cache (swap_cache_info's find_success; with swap-cache-faults).</summary>
    public long SwapCacheHits { get; init; }
}

/// <summary>
/// Direct reclaim's passes over one zone in a window: how many shrink_zones skipped it as ready for
/// compaction and how many shrank it, get_scan_count's choice for those (SCAN_EQUAL, SCAN_FRACT,
/// SCAN_ANON, SCAN_FILE), and the inactive pages it isolated.
/// </summary>
public sealed record ZoneReclaimReport
{
    public required string Zone { get; init; }
    /// <summary>The NUMA node of the zone.</summary>
    public int Node { get; init; }
    public required long SkippedForCompaction { get; init; }
    public required long Shrunk { get; init; }
    public required long ScanEqual { get; init; }
    public required long ScanFract { get; init; }
    public required long ScanAnon { get; init; }
    public required long ScanFile { get; init; }
    public required long AnonScanned { get; init; }
    public required long FileScanned { get; init; }
}

/// <summary>One perf-report line: share of CPU samples in a kernel function (self time).</summary>
public sealed record ProfileEntry
{
    public required string Symbol { get; init; }
    public required double Percent { get; init; }
}

public sealed record MessageReport
{
    public required string Text { get; init; }
    public required long Count { get; init; }
    public required double PerSecond { get; init; }
}

public sealed record AllocFailureReport
{
    public required int Order { get; init; }
    public required long Count { get; init; }
    public required double PerSecond { get; init; }
}

/// <summary>A share of kswapd's window spent asleep in one wait channel.</summary>
public sealed record WaitChannelShare
{
    public required string WaitChannel { get; init; }
    public required double Percent { get; init; }
}

public sealed record KswapdReport
{
    public required long Wakeups { get; init; }
    public required long SlabObjectsFreed { get; init; }
    /// <summary>
    /// Objects kswapd's shrink_slab calls scanned (its part of vmstat's slabs_scanned). Beside the
    /// objects freed it shows how much work shrink_slab asked of the shrinkers, which for a node
    /// is that node's objects in proportion to the LRU pages scanned over the node's LRU pages.
    /// </summary>
    public long SlabObjectsScanned { get; init; }
    public long PagesReclaimed { get; init; }
    public long BalanceRuns { get; init; }
    /// <summary>Share of the window kswapd spent asleep on kswapd_wait, having found the node balanced.</summary>
    public double AsleepPercent { get; init; }
    /// <summary>Share of the window kswapd spent in D state inside a shrinker (waiting on an XFS log force).</summary>
    public double DStatePercent { get; init; }
    /// <summary>
    /// That D state by where kswapd slept, the longest first: the function /proc/PID/wchan would have
    /// shown (<c>xfs_log_force_lsn</c> for inode reclaim waiting on the log). Null without D state.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<WaitChannelShare>? DStateWaitChannels { get; init; }
    /// <summary>
    /// With several nodes, each node's kswapd (kswapd0, kswapd1, …) in node order; the figures above
    /// are then their sums, and the two shares their means. Null on a one-node machine.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<KswapdReport>? Nodes { get; init; }
    /// <summary>In an entry of <see cref="Nodes"/>: the node whose kswapd it is. Null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Node { get; init; }
}

public sealed record PolicyErrorReport
{
    public required string Message { get; init; }
    public required string File { get; init; }
    public required int Line { get; init; }
    public required int Column { get; init; }
    public required string Rule { get; init; }
    public required double AtS { get; init; }
}

public sealed record TimePoint
{
    public required double TimeS { get; init; }
    public required long FreeKb { get; init; }
    public required long SlabKb { get; init; }
    public required long SwapUsedKb { get; init; }
    public required long CachedKb { get; init; }
    public required long FilesRemoved { get; init; }
}

public sealed record TimelineEvent
{
    public required double AtS { get; init; }
    public required string Kind { get; init; }
    public required string Detail { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunReport))]
public sealed partial class RunReportJson : JsonSerializerContext;
