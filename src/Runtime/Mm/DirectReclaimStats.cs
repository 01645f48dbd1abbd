namespace Policyc.Runtime.Mm;

/// <summary>
/// What direct reclaim did with one zone, cumulative since boot, in the spirit of /proc/vmstat's
/// per-zone pgscan_direct_* counters. The kernel keeps no count of the first two; they are here
/// because they decide whether a looping high-order request ever reaches the anon LRU (and
/// scan_swap_map): shrink_zones either skips a zone as ready for compaction or shrinks it, and then
/// get_scan_count picks how to split the scan.
/// </summary>
public sealed class DirectReclaimStats
{
    /// <summary>Zone passes skipped because compaction_ready() said compaction could do the rest.</summary>
    public long SkippedForCompaction;
    /// <summary>Zone passes that called shrink_zone.</summary>
    public long Shrunk;
    /// <summary>get_scan_count's choice per shrink_zone, indexed by <see cref="ScanBalanceKind"/>.</summary>
    public readonly long[] ScanBalance = new long[ScanBalanceKinds.Count];
    /// <summary>Pages isolated from the inactive anon and inactive file lists.</summary>
    public long AnonScanned, FileScanned;

    public DirectReclaimStats Copy()
    {
        var copy = new DirectReclaimStats
        {
            SkippedForCompaction = SkippedForCompaction,
            Shrunk = Shrunk,
            AnonScanned = AnonScanned,
            FileScanned = FileScanned,
        };
        ScanBalance.CopyTo(copy.ScanBalance, 0);
        return copy;
    }
}

/// <summary>enum scan_balance of mm/vmscan.c.</summary>
public enum ScanBalanceKind { Equal, Fract, Anon, File }

public static class ScanBalanceKinds
{
    public const int Count = 4;

    /// <summary>The kernel's name for the choice.</summary>
    public static string Name(ScanBalanceKind kind) => kind switch
    {
        ScanBalanceKind.Equal => "SCAN_EQUAL",
        ScanBalanceKind.Fract => "SCAN_FRACT",
        ScanBalanceKind.Anon => "SCAN_ANON",
        _ => "SCAN_FILE",
    };
}
