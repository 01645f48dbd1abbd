using System.Globalization;
using Policyc.Runtime.Text;

namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Changes one field of a scenario from text, as the command line and scenario files write it
/// (<c>--mem 4G</c>, <c>files = "2M"</c>). Keys are kebab-case; snake_case is accepted too.
/// </summary>
public static class ScenarioOverrides
{
    enum Kind { Size, Duration, Count, OptionalDuration, Text, Switch }

    sealed record Field(Kind Kind, string Doc, Func<Scenario, long, Scenario> Set, Func<Scenario, string, Scenario>? SetText = null);

    static readonly Dictionary<string, Field> Fields = new()
    {
        ["name"] = new(Kind.Text, "scenario name", (s, _) => s, (s, v) => s with { Name = v }),
        ["mem"] = new(Kind.Size, "RAM, e.g. 16G", (s, v) => s with { MemBytes = v }),
        ["swap"] = new(Kind.Size, "usable swap, SwapTotal as free shows it (the device has one more page, its header), e.g. 497976K", (s, v) => s with { SwapBytes = v }),
        ["cpus"] = new(Kind.Count, "CPUs", (s, v) => s with { Cpus = checked((int)v) }),
        ["nodes"] = new(Kind.Count, "NUMA nodes, equal shares of RAM in address order", (s, v) => s with { Nodes = checked((int)v) }),
        ["dma32"] = new(Kind.Size, "RAM below 4 GiB (ZONE_DMA32)", (s, v) => s with { Dma32Bytes = v }),
        ["min-free"] = new(Kind.Size, "vm.min_free_kbytes as a size", (s, v) => s with { MinFreeBytes = v }),
        ["swappiness"] = new(Kind.Count, "vm.swappiness", (s, v) => s with { Swappiness = checked((int)v) }),
        ["vfs-cache-pressure"] = new(Kind.Count, "vm.vfs_cache_pressure", (s, v) => s with { VfsCachePressure = checked((int)v) }),
        ["page-cluster"] = new(Kind.Count, "vm.page_cluster: swap faults read 2^N slots ahead (3.13 default 3; built-in scenarios 0)", (s, v) => s with { PageCluster = checked((int)v) }),
        ["extfrag-threshold"] = new(Kind.Count, "vm.extfrag_threshold", (s, v) => s with { ExtfragThreshold = checked((int)v) }),
        ["kernel-reserved"] = new(Kind.Size, "memory the kernel holds from boot", (s, v) => s with { KernelReservedBytes = v }),
        ["workers"] = new(Kind.Count, "concurrent rm -rf workers", (s, v) => s with { Workers = checked((int)v) }),
        ["files"] = new(Kind.Count, "files in the tree, e.g. 2M", (s, v) => s with { Files = v }),
        ["files-per-dir"] = new(Kind.Count, "files per directory", (s, v) => s with { FilesPerDirectory = v }),
        ["ag-count"] = new(Kind.Count, "XFS allocation groups", (s, v) => s with { AgCount = checked((int)v) }),
        ["dir-block"] = new(Kind.Size, "XFS directory block size, e.g. 64k", (s, v) => s with { DirBlockBytes = v }),
        ["dirent-bytes"] = new(Kind.Count, "bytes a name's entry takes in a directory data block (40; 48 and up for names of 32 characters or more)", (s, v) => s with { DirentBytes = v }),
        ["long-name-percent"] = new(Kind.Count, "share of names stored outside the dentry", (s, v) => s with { LongNamePercent = checked((int)v) }),
        ["cil-space-limit"] = new(Kind.Size, "log-vector bytes the CIL holds before a checkpoint (log size / 8)", (s, v) => s with { CilSpaceLimitBytes = v }),
        ["cil-other-bytes"] = new(Kind.Size, "log space a transaction adds besides its directory block", (s, v) => s with { CilOtherBytesPerCommit = v }),
        ["ail-writeback-delay"] = new(Kind.Duration, "how long unlinked inodes stay dirty after their checkpoint", (s, v) => s with { AilWritebackDelay = v }),
        ["fair-zone-policy"] = new(Kind.Switch, "3.12's fair zone allocation policy (on/off; on in seed, off in small and seed-minimal)", (s, v) => s with { FairZonePolicy = v != 0 }),
        ["migrate-reserve"] = new(Kind.Switch, "MIGRATE_RESERVE pageblocks, handed out only when every other free list is empty (on/off; off by default)", (s, v) => s with { MigrateReserve = v != 0 }),
        ["buddy-tail-merge"] = new(Kind.Switch, "a freed block whose next-higher buddy is free goes to the tail of its free list (on/off; off by default)", (s, v) => s with { BuddyTailMerge = v != 0 }),
        ["double-slab-pressure"] = new(Kind.Switch, "shrink_page_list counts a mapped or swap-cache page twice towards shrink_slab's pressure (on/off; off by default)", (s, v) => s with { DoubleSlabPressure = v != 0 }),
        ["swap-scan-twice"] = new(Kind.Switch, "get_swap_page scans the lone swap device twice before it fails (on/off; off by default)", (s, v) => s with { SwapScanTwice = v != 0 }),
        ["swap-scan-unlocked"] = new(Kind.Switch, "scan_swap_map walks the map without the device's lock, so scans on other CPUs overlap in time: each reads cluster_next when it starts, and a failing one holds nr_swap_pages down until it gives up (on/off; off by default)", (s, v) => s with { SwapScanUnlocked = v != 0 }),
        ["swap-cache-faults"] = new(Kind.Switch, "a swap-in that finds its page still in the swap cache (read ahead, or written out and not yet freed) maps it again, with no read and no new frame (on/off; off by default)", (s, v) => s with { SwapCacheFaults = v != 0 }),
        ["swapin-inactive"] = new(Kind.Switch, "a page a swap fault maps goes to the inactive anon list with its pte young, and reclaim activates it when it next looks (on/off; off by default)", (s, v) => s with { SwapinInactive = v != 0 }),
        ["xfs-dirty-map-until-writeback"] = new(Kind.Switch, "a directory block's dirty map outlives the CIL push, so its next log vector covers every chunk dirtied since (on/off; off by default)", (s, v) => s with { XfsDirtyMapUntilWriteback = v != 0 }),
        ["slub-partial-order"] = new(Kind.Switch, "SLUB refills the oldest partial slab and frees an emptied slab while more than min_partial are partial (on/off; off by default)", (s, v) => s with { SlubPartialOrder = v != 0 }),
        ["reclaim-compaction-loop"] = new(Kind.Switch, "shrink_zone reclaims a zone again for a costly order until 2<<order pages are freed or compaction could run (on/off; off by default)", (s, v) => s with { ReclaimCompactionLoop = v != 0 }),
        ["xfs-reclaim-ag-batch"] = new(Kind.Switch, "the shrinker's XFS inode reclaim takes a batch of 32 in every AG with reclaimable inodes, whatever is left of its scan (on/off; off by default)", (s, v) => s with { XfsReclaimAgBatch = v != 0 }),
        ["kswapd-nap-wakeup"] = new(Kind.Switch, "a wake-up ends kswapd's HZ/10 nap early, and kswapd then balances again instead of sleeping (on/off; off by default)", (s, v) => s with { KswapdNapWakeup = v != 0 }),
        ["age-active-anon"] = new(Kind.Switch, "balance_pgdat's age_active_anon: kswapd deactivates 32 active anon pages in every zone it looks at while inactive anon is low, balanced or not (on/off; off by default)", (s, v) => s with { AgeActiveAnon = v != 0 }),
        ["kswapd-compact-pgdat"] = new(Kind.Switch, "kswapd does not compact while a zone up to end_zone passes LOW at the order, as 3.13's pgdat_needs_compaction has it (on/off; off by default)", (s, v) => s with { KswapdCompactPgdat = v != 0 }),
        ["kswapd-loop"] = new(Kind.Switch, "3.13's kswapd() loop: balance for the order asked for, try to sleep at the order balance_pgdat ended at, and take the order asked for meanwhile, lower or higher, when woken (on/off; off by default)", (s, v) => s with { KswapdLoop = v != 0 }),
        ["lv-exact-reuse"] = new(Kind.Switch, "3.13's log-vector reuse only up to the size asked for (on/off; on in seed, off in small and seed-minimal)", (s, v) => s with { LvExactReuse = v != 0 }),
        ["lv-format-size"] = new(Kind.Switch, "a log vector's size as 3.13 computes it: the buffer log format and an iovec per run of dirty chunks besides the chunks (on/off; off by default)", (s, v) => s with { LvFormatSize = v != 0 }),
        ["pcp-lists"] = new(Kind.Switch, "the page allocator's per-CPU page lists: order-0 pages freed to and allocated from the running CPU's list, traded with the buddy lists in batches (on/off; off by default)", (s, v) => s with { PcpLists = v != 0 }),
        ["slub-cpu-slabs"] = new(Kind.Switch, "SLUB's per-CPU active slabs (on/off; off by default)", (s, v) => s with { SlubCpuSlabs = v != 0 }),
        ["slub-cpu-partial"] = new(Kind.Switch, "SLUB's per-CPU partial lists (CONFIG_SLUB_CPU_PARTIAL): a full slab that gets a free object waits on the freeing CPU's list, which a CPU takes its next slab from first; needs slub-cpu-slabs and slub-partial-order (on/off; off by default)", (s, v) => s with { SlubCpuPartial = v != 0 }),
        ["xfs-stale-inodes"] = new(Kind.Switch, "unlinked inodes of a freed chunk are freeable once the checkpoint is written (on/off; on in seed, off in small and seed-minimal)", (s, v) => s with { XfsStaleInodes = v != 0 }),
        ["xfs-buffer-cache"] = new(Kind.Switch, "XFS's inode cluster buffers, freed by the buftarg shrinker without __GFP_FS (on/off; off by default)", (s, v) => s with { XfsBufferCache = v != 0 }),
        ["xfs-dir-buffers"] = new(Kind.Switch, "XFS's directory data blocks in the buffer cache, freed by the buftarg shrinker without __GFP_FS or when the rm empties them (on/off; off by default)", (s, v) => s with { XfsDirBuffers = v != 0 }),
        ["setup-writeback"] = new(Kind.Switch, "during the set-up, buffers are written back as soon as their checkpoint is, so reclaim can free them while the tree is built (on/off; off by default)", (s, v) => s with { SetupWriteback = v != 0 }),
        ["vfs-lazy-lru"] = new(Kind.Switch, "3.13's lazy, second-chance dentry and inode LRUs (on/off; off by default)", (s, v) => s with { VfsLazyLru = v != 0 }),
        ["vfs-rmdir"] = new(Kind.Switch, "rm -rf's rmdir of each emptied directory frees its negative dentries (shrink_dcache_parent) (on/off; on in seed, off in small and seed-minimal)", (s, v) => s with { VfsRmdir = v != 0 }),
        ["xfs-leaf-logging"] = new(Kind.Switch, "each unlink also logs the directory's leaf block (on/off; off by default)", (s, v) => s with { XfsLeafLogging = v != 0 }),
        ["xfs-log-force"] = new(Kind.Switch, "inode reclaim waits on XFS's log force behind the CIL lock (on/off; on in seed, off in small and seed-minimal)", (s, v) => s with { XfsLogForce = v != 0 }),
        ["kswapd-lowmem-reserve"] = new(Kind.Switch, "kswapd's balance test keeps the lowmem reserve (on/off; on in seed, off in small and seed-minimal)", (s, v) => s with { KswapdLowmemReserve = v != 0 }),
        ["other-anon"] = new(Kind.Size, "anonymous memory of other processes", (s, v) => s with { OtherAnonBytes = v }),
        ["memory-hog"] = new(Kind.Size, "anon a short-lived memory hog touches during set-up", (s, v) => s with { MemoryHogBytes = v }),
        ["aging-page-cache"] = new(Kind.Size, "page cache read before the tree is built", (s, v) => s with { AgingPageCacheBytes = v }),
        ["hot-page-cache"] = new(Kind.Size, "page cache in active use (executables)", (s, v) => s with { HotPageCacheBytes = v }),
        ["swap-in-rate"] = new(Kind.Count, "swapped pages other processes touch per second while the rm runs", (s, v) => s with { SwapInPerSecond = v }),
        ["rcu-grace-period"] = new(Kind.Duration, "how long an RCU grace period lasts: xfs_inodes, dentries and their names come back to the slab that long after they are freed (0: at once; 0 by default)", (s, v) => s with { RcuGracePeriod = v }),
        ["swap-write-latency"] = new(Kind.Duration, "how long a swap write takes: until then the page stays on the inactive list under writeback, holding its slot (0: written at once and freed in the same pass; 0 by default)", (s, v) => s with { SwapWriteLatency = v }),
        ["swap-in-cpu"] = new(Kind.Count, "CPU the other processes' swap-ins run on, and so their node (default: unbound)", (s, v) => s with { SwapInCpu = checked((int)v) }),
        ["swap-in-churn"] = new(Kind.Count, "swapped pages touched again after set-up", (s, v) => s with { SwapInChurnPages = v }),
        ["session-at"] = new(Kind.OptionalDuration, "when the operator logs in, counted from the rm's start, or none (none by default)", (s, v) => s with { SessionAt = v < 0 ? null : v }),
        ["session-cpu"] = new(Kind.Count, "CPU the operator's session runs on, and so its node (0 by default)", (s, v) => s with { SessionCpu = checked((int)v) }),
        ["session-swap-ins"] = new(Kind.Count, "swapped-out pages the login touches again, one after another", (s, v) => s with { SessionSwapIns = v }),
        ["session-anon"] = new(Kind.Size, "anonymous memory the session's tools fault in and keep", (s, v) => s with { SessionAnonBytes = v }),
        ["drop-caches-at"] = new(Kind.OptionalDuration, "when drop_caches runs, or none", (s, v) => s with { DropCachesAt = v < 0 ? null : v }),
        ["drop-caches-mode"] = new(Kind.Count, "value written to drop_caches (1, 2 or 3)", (s, v) => s with { DropCachesMode = checked((int)v) }),
        ["duration"] = new(Kind.Duration, "virtual time limit, e.g. 2h", (s, v) => s with { Duration = v }),
        ["setup-limit"] = new(Kind.Duration, "virtual time the set-up may take before the run stops (default 1h)", (s, v) => s with { SetupLimit = v }),
        ["seed"] = new(Kind.Count, "random seed", (s, v) => s with { Seed = (ulong)v }),
        ["livelock-window"] = new(Kind.Duration, "no-progress window that defines a livelock", (s, v) => s with { LivelockWindow = v }),
        ["cost-swap-map-entry"] = new(Kind.Duration, "CPU per swap_map entry walked", (s, v) => s with { CostSwapMapEntryNs = v }),
        ["cost-shrink-page"] = new(Kind.Duration, "CPU per page in shrink_page_list", (s, v) => s with { CostShrinkPageNs = v }),
        ["cost-isolate-page"] = new(Kind.Duration, "CPU per page isolated or deactivated", (s, v) => s with { CostIsolatePageNs = v }),
        ["cost-slab-object"] = new(Kind.Duration, "CPU per slab object scanned", (s, v) => s with { CostSlabObjectNs = v }),
        ["cost-shrinker-call"] = new(Kind.Duration, "CPU per shrinker call", (s, v) => s with { CostShrinkerCallNs = v }),
        ["cost-compact-page"] = new(Kind.Duration, "CPU per page frame compaction examines", (s, v) => s with { CostCompactPageNs = v }),
        ["cost-alloc-fast"] = new(Kind.Duration, "CPU per allocator fast path", (s, v) => s with { CostAllocFastNs = v }),
        ["cost-alloc-slow"] = new(Kind.Duration, "CPU per slow path entry", (s, v) => s with { CostAllocSlowNs = v }),
        ["cost-kmem-retry"] = new(Kind.Duration, "CPU per kmem_alloc retry", (s, v) => s with { CostKmemRetryNs = v }),
        ["cost-unlink"] = new(Kind.Duration, "CPU per file removed", (s, v) => s with { CostUnlinkNs = v }),
        ["cost-create"] = new(Kind.Duration, "CPU per file created in set-up", (s, v) => s with { CostCreateNs = v }),
    };

    /// <summary>The keys a scenario file or <c>--set</c> may use, with a line of help each.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = Fields.ToDictionary(f => f.Key, f => f.Value.Doc);

    public static string NormalizeKey(string key) => key.Trim().Replace('_', '-').ToLowerInvariant();

    public static bool IsKnownKey(string key) => Fields.ContainsKey(NormalizeKey(key));

    /// <summary>A <c>--set</c> assignment split at its first '=', both sides trimmed; null without a key before an '='.</summary>
    public static (string Key, string Value)? SplitAssignment(string text)
    {
        int equals = text.IndexOf('=');
        return equals <= 0 ? null : (text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    /// <summary>The scenario with one field set from text, as a scenario file or <c>--set</c> gives it; recorded in <see cref="Scenario.Settings"/>.</summary>
    public static Scenario WithOverride(this Scenario scenario, string key, string value)
    {
        var changed = Apply(scenario, key, value);
        var k = NormalizeKey(key);
        // The name only labels the run; every other field changes what it simulates. A field set again
        // (a --set repeating what the scenario file says) is recorded once, with the value that counts.
        return k == "name"
            ? changed
            : changed with { Settings = [.. scenario.SettingsWithout(k), $"{k}={value.Trim()}"] };
    }

    /// <summary>The scenario's recorded settings less any of the field <paramref name="key"/>.</summary>
    public static IReadOnlyList<string> SettingsWithout(this Scenario scenario, string key)
    {
        string prefix = NormalizeKey(key) + "=";
        return [.. scenario.Settings.Where(s => !s.StartsWith(prefix, StringComparison.Ordinal))];
    }

    // The closest field name when there is one; the whole list (seventy names) only when there is not.
    static string UnknownField(string key) =>
        Spelling.DidYouMean(NormalizeKey(key), Fields.Keys) is { Length: > 0 } suggestion
            ? $"unknown scenario field '{key}'{suggestion}"
            : $"unknown scenario field '{key}' (known: {string.Join(", ", Fields.Keys)})";

    static Scenario Apply(Scenario scenario, string key, string value)
    {
        var k = NormalizeKey(key);
        if (!Fields.TryGetValue(k, out var field))
            throw new ScenarioException(UnknownField(key));
        if (field.Kind == Kind.Text)
            return field.SetText!(scenario, value);
        long parsed;
        var result = field.Kind switch
        {
            Kind.Size => Units.ParseSize(value, out parsed),
            Kind.Duration => Units.ParseDuration(value, out parsed),
            Kind.Count => Units.ParseCount(value, out parsed),
            Kind.OptionalDuration => IsNone(value) ? Negative(out parsed) : Units.ParseDuration(value, out parsed),
            Kind.Switch => TryParseSwitch(value, out parsed) ? UnitParse.Ok : UnitParse.Malformed,
            _ => throw new InvalidOperationException(),
        };
        if (result != UnitParse.Ok)
            throw new ScenarioException($"{k}: '{value}' " + result switch
            {
                UnitParse.TooLarge => "is too large",
                UnitParse.NotWhole => $"is not a whole number of {SmallestUnit(field.Kind)}",
                _ => $"is not a {Describe(field.Kind)}",
            });
        try
        {
            return field.Set(scenario, parsed);
        }
        catch (OverflowException)
        {
            throw new ScenarioException($"{k}: '{value}' is too large");
        }
    }

    static bool IsNone(string value) => value.Trim().ToLowerInvariant() is "none" or "off" or "never";

    static bool TryParseSwitch(string value, out long parsed)
    {
        parsed = value.Trim().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" or "1" => 1,
            "off" or "false" or "no" or "0" => 0,
            _ => -1,
        };
        return parsed >= 0;
    }

    static UnitParse Negative(out long value)
    {
        value = -1;
        return UnitParse.Ok;
    }

    static string SmallestUnit(Kind kind) => kind switch
    {
        Kind.Size => "bytes",
        Kind.Duration or Kind.OptionalDuration => "nanoseconds",
        _ => "items",
    };

    static string Describe(Kind kind) => kind switch
    {
        Kind.Size => "size (like 4G, 128M, 64k or a number of bytes)",
        Kind.Duration => "duration (like 3600s, 2h, 20ms)",
        Kind.OptionalDuration => "duration (like 3600s, 2h, 20ms) or none",
        Kind.Count => "count (like 16, 500k, 2M)",
        Kind.Switch => "switch (on or off)",
        _ => "value",
    };

    internal static string Invariant(long v) => v.ToString(CultureInfo.InvariantCulture);
}
