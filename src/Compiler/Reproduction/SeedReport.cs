using Policyc.Runtime.Reporting;

namespace Policyc.Compiler.Reproduction;

/// <summary>
/// The figures of the report the <c>seed</c> scenario reproduces, shown beside the simulated ones so a
/// reader can see the match. Source: Dave Chinner, "[livelock, 3.13.0] livelock when run out of swap
/// space", linux-kernel mailing list, 2 Feb 2014 (a concurrent rm -rf on XFS with 64k directory blocks,
/// 16 GiB RAM). Every number below is copied from that message; nothing here is computed.
/// </summary>
public static class SeedReport
{
    public const string Citation = "LKML 2014-02-02, \"[livelock, 3.13.0] livelock when run out of swap space\"";

    /// <summary>`free` during the livelock, KiB (shared was 0).</summary>
    public static MemoryReport Free { get; } = new()
    {
        TotalKb = 16424296,
        UsedKb = 13593732,
        FreeKb = 2830564,
        BuffersKb = 136,
        CachedKb = 3184,
        SwapTotalKb = 497976,
        SwapUsedKb = 497976,
        SwapFreeKb = 0,
    };

    /// <summary>slabtop's top three caches, as printed (OBJ SIZE and USE are slabtop's rounded text).</summary>
    public static IReadOnlyList<SeedSlabRow> Slab { get; } =
    [
        new("xfs_inode", 9486678, 9483271, "99%", "1.19K", 364874, 26, 11675968),
        new("dentry", 4820508, 4820508, "100%", "0.21K", 130284, 37, 1042272),
        new("kmalloc-64", 4820224, 4820224, "100%", "0.06K", 75316, 64, 301264),
    ];

    /// <summary>The one profile line quoted: "44.91% [kernel] [k] scan_swap_map".</summary>
    public static ProfileEntry TopProfileEntry { get; } = new() { Symbol = "scan_swap_map", Percent = 44.91 };

    /// <summary>The buffer allocation code "started reporting this 5 times a second".</summary>
    public const string DeadlockMessage = "XFS: possible memory allocation deadlock in kmem_alloc (mode:0x8250)";
    public const double DeadlockMessagesPerSecond = 5;

    /// <summary>"It stayed in the livelock state for over an hour before I broke it by running echo 2 > drop_caches".</summary>
    public const string Livelock = "livelock for over an hour, ended by echo 2 > /proc/sys/vm/drop_caches";

    /// <summary>
    /// Runs on the report's machine: the built-in <c>seed</c> and <c>seed-minimal</c> and scenario
    /// files built on them (a smaller machine, like <c>small</c>, is not compared with the report).
    /// </summary>
    public static bool AppliesTo(RunReport report) => report.ScenarioBase is "seed" or "seed-minimal";
}

/// <summary>One slabtop row of the report, kept as printed.</summary>
public sealed record SeedSlabRow(string Name, long Objs, long Active, string Use, string ObjSize, long Slabs, long ObjsPerSlab, long CacheSizeKb);
