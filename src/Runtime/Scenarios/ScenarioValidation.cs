namespace Policyc.Runtime.Scenarios;

/// <summary>Rejects impossible scenarios before anything runs, naming the field and the limit.</summary>
public static class ScenarioValidation
{
    const long MiB = 1L << 20, GiB = 1L << 30;

    public static void Validate(this Scenario s)
    {
        var problems = s.Problems();
        if (problems.Count > 0)
            throw Impossible(s.Name, problems.Select(p => $"{p.Field}: {p.Message}"));
    }

    /// <summary>The exception for an impossible scenario: one line, its problems separated by "; ", each naming its field.</summary>
    public static ScenarioException Impossible(string name, IEnumerable<string> problems) =>
        new($"scenario '{name}' is impossible: " + string.Join("; ", problems));

    /// <summary>
    /// Every limit the scenario breaks, with the field that breaks it (<c>cost-*</c> for the cost
    /// fields together); empty for a possible scenario.
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(this Scenario s)
    {
        var errors = new List<(string Field, string Message)>();
        bool Check(bool ok, string field, string message)
        {
            if (!ok)
                errors.Add((field, message));
            return ok;
        }

        // The name heads every report and table: one printable line.
        Check(!s.Name.Any(char.IsControl), "name", "must not hold control characters (a newline, a tab)");
        bool swapOk = Check(s.SwapBytes >= 0 && s.SwapBytes <= 64 * GiB, "swap", "must be between 0 and 64G")
                    & Check(s.SwapBytes <= 0 || s.SwapBytes >= 10 * PageBytes, "swap", "a swap device needs at least 10 pages");
        // A limit between two fields is checked only when each is in its own range, so that one bad
        // value is reported once, by the field that has it. (`&`, not `&&`: both of mem's limits are
        // checked and reported.)
        bool memOk = Check(s.MemBytes >= 64 * MiB, "mem", $"{Size(s.MemBytes)} is below the 64M minimum")
                   & Check(s.MemBytes <= 256 * GiB, "mem", $"{Size(s.MemBytes)} is above the 256G the page-frame arrays are sized for");
        bool cpusOk = Check(s.Cpus is >= 1 and <= 1024, "cpus", $"{s.Cpus} is not between 1 and 1024");
        bool workersOk = Check(s.Workers is >= 1 and <= 4096, "workers", $"{s.Workers} is not between 1 and 4096");
        bool filesOk = Check(s.Files >= 1 && s.Files <= 200_000_000, "files", $"{s.Files} is not between 1 and 200M");
        Check(!(workersOk && filesOk) || s.Workers <= s.Files, "workers",
            $"{s.Workers} workers for {Count(s.Files, "file")}: each rm -rf worker needs at least one file");
        Check(s.FilesPerDirectory >= 1, "files-per-dir", "must be at least 1");
        Check(s.AgCount is >= 1 and <= 1024, "ag-count", "must be from 1 to 1024");
        Check(s.DirBlockBytes >= 4096 && s.DirBlockBytes <= 65536 && (s.DirBlockBytes & (s.DirBlockBytes - 1)) == 0,
            "dir-block", $"{Size(s.DirBlockBytes)} is not a power of two from 4k to 64k (XFS's directory block sizes)");
        Check(s.LongNamePercent is >= 0 and <= 100, "long-name-percent", "must be 0 to 100");
        Check(s.DirentBytes >= 16 && s.DirentBytes <= 272 && s.DirentBytes % 8 == 0, "dirent-bytes",
            $"{s.DirentBytes} is not a multiple of 8 from 16 to 272 (a directory entry of a 1- to 255-byte name)");
        Check(s.CilSpaceLimitBytes >= 64 * 1024, "cil-space-limit", "must be at least 64k");
        Check(s.Dma32Bytes >= 16 * MiB, "dma32", "must be at least 16M");
        bool nodesOk = Check(s.Nodes is >= 1 and <= 8, "nodes", $"{s.Nodes} is not between 1 and 8");
        Check(!(nodesOk && cpusOk) || s.Nodes <= s.Cpus, "nodes",
            $"{s.Nodes} nodes for {Count(s.Cpus, "CPU")}: every node needs a CPU (CPUs are dealt to nodes round robin)");
        Check(!(nodesOk && memOk) || s.Nodes <= 1 || s.MemBytes / s.Nodes >= 64 * MiB, "nodes",
            $"{Size(s.MemBytes)} in {s.Nodes} nodes leaves less than 64M a node");
        Check(s.MinFreeBytes is null || (s.MinFreeBytes >= 128 * 1024 && s.MinFreeBytes <= s.MemBytes / 4), "min-free",
            $"{Size(s.MinFreeBytes ?? 0)} must be at least 128K and at most a quarter of mem ({Size(s.MemBytes / 4)})");
        Check(s.Swappiness is >= 0 and <= 100, "swappiness", "must be 0 to 100 (Linux 3.13's range)");
        Check(s.PageCluster is >= 0 and <= 8, "page-cluster", "must be 0 to 8 (a window of up to 256 slots)");
        Check(s.VfsCachePressure is >= 0 and <= 10_000, "vfs-cache-pressure", "must be 0 to 10000");
        Check(s.ExtfragThreshold is >= 0 and <= 1000, "extfrag-threshold", "must be 0 to 1000");
        Check(s.KernelReservedBytes >= 0 && s.KernelReservedBytes <= s.MemBytes / 2, "kernel-reserved",
            $"{Size(s.KernelReservedBytes)} must be between 0 and half of mem ({Size(s.MemBytes / 2)})");
        // Against mem + swap only when both are in range: their sum would overflow otherwise.
        bool roomKnown = memOk && swapOk;
        long room = roomKnown ? s.MemBytes + s.SwapBytes : 0;
        Check(s.OtherAnonBytes >= 0 && (!roomKnown || s.OtherAnonBytes <= room), "other-anon",
            roomKnown ? $"{Size(s.OtherAnonBytes)} must fit in mem + swap ({Size(room)})" : $"{Size(s.OtherAnonBytes)} must not be negative");
        Check(s.MemoryHogBytes >= 0 && (!roomKnown || s.MemoryHogBytes <= 4 * room), "memory-hog",
            roomKnown ? $"{Size(s.MemoryHogBytes)} must be between 0 and four times mem + swap ({Size(4 * room)})" : $"{Size(s.MemoryHogBytes)} must not be negative");
        Check(s.AgingPageCacheBytes >= 0, "aging-page-cache", "must not be negative");
        Check(s.SwapInChurnPages >= 0, "swap-in-churn", "must not be negative");
        Check(s.SwapInPerSecond is >= 0 and <= 1_000_000, "swap-in-rate", "must be 0 to 1M pages a second");
        Check(!cpusOk || s.SwapInCpu is null || s.SwapInCpu >= 0 && s.SwapInCpu < s.Cpus, "swap-in-cpu",
            $"{s.SwapInCpu} is not a CPU of the machine (0 to {s.Cpus - 1})");
        Check(s.SwapWriteLatency >= 0, "swap-write-latency", "must not be negative");
        Check(s.RcuGracePeriod >= 0 && s.RcuGracePeriod <= 10_000_000_000, "rcu-grace-period", "must be 0 to 10s");
        // The per-CPU partial lists are 3.13's free path for slabs a CPU has frozen: they build on the
        // per-CPU active slabs and hand slabs back to node lists kept in 3.13's order.
        string[] partialNeeds = [.. new[] { (s.SlubCpuSlabs, "slub-cpu-slabs"), (s.SlubPartialOrder, "slub-partial-order") }
            .Where(n => !n.Item1).Select(n => n.Item2)];
        Check(!s.SlubCpuPartial || partialNeeds.Length == 0, "slub-cpu-partial",
            $"SLUB's per-CPU partial lists need {string.Join(" and ", partialNeeds)} on as well");
        Check(s.AilWritebackDelay >= 0, "ail-writeback-delay", "must not be negative");
        Check(s.Duration > 0, "duration", "must be positive");
        Check(s.SetupLimit > 0, "setup-limit", "must be positive");
        Check(s.DropCachesAt is null || s.DropCachesAt >= 0, "drop-caches-at", "must not be negative");
        Check(s.SessionAt is null || s.SessionAt >= 0, "session-at", "must not be negative");
        Check(!cpusOk || s.SessionCpu >= 0 && s.SessionCpu < s.Cpus, "session-cpu",
            $"{s.SessionCpu} is not a CPU of the machine (0 to {s.Cpus - 1})");
        Check(s.SessionSwapIns >= 0, "session-swap-ins", "must not be negative");
        Check(s.SessionAnonBytes >= 0 && (!memOk || s.SessionAnonBytes <= s.MemBytes), "session-anon",
            memOk ? $"{Size(s.SessionAnonBytes)} must be between 0 and mem ({Size(s.MemBytes)})" : $"{Size(s.SessionAnonBytes)} must not be negative");
        Check(s.DropCachesMode is >= 1 and <= 3, "drop-caches-mode", "must be 1, 2 or 3");
        Check(s.LivelockWindow > 0, "livelock-window", "must be positive");
        Check(s.CostSwapMapEntryNs >= 0 && s.CostShrinkPageNs >= 0 && s.CostIsolatePageNs >= 0 && s.CostSlabObjectNs >= 0
              && s.CostShrinkerCallNs >= 0 && s.CostCompactPageNs >= 0 && s.CostAllocFastNs >= 0 && s.CostAllocSlowNs >= 0
              && s.CostKmemRetryNs >= 0 && s.CostUnlinkNs > 0 && s.CostCreateNs > 0,
            "cost-*", "costs must not be negative, and cost-unlink and cost-create must be positive");
        return errors;
    }

    const long PageBytes = 4096;

    /// <summary>"1 file", "3 files".</summary>
    static string Count(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>A size as the scenario writes it (16M, 497976K); one that is no whole number of KiB says "bytes".</summary>
    static string Size(long bytes)
    {
        if (bytes == long.MinValue)
            return $"{bytes} bytes";
        string size = bytes < 0 ? "-" + Units.FormatSize(-bytes) : Units.FormatSize(bytes);
        return bytes != 0 && size.TrimStart('-').All(char.IsAsciiDigit) ? size + " bytes" : size;
    }
}
