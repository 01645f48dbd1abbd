namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// Where a task sleeps in XFS, named as /proc/PID/wchan would name it, with what it waits for: the
/// report shows where kswapd spent its D state, and a kernel developer reads the name as a stack.
/// </summary>
public static class XfsWaitChannels
{
    /// <summary>Inode reclaim met an inode still pinned in the log and forces the log to unpin it.</summary>
    public const string LogForceLsn = "xfs_log_force_lsn";
    /// <summary>The log worker's periodic log force.</summary>
    public const string LogForce = "xfs_log_force";
    /// <summary>A commit's down_read of xc_ctx_lock, queued behind a CIL push that waits for the lock in write mode.</summary>
    public const string CommitCil = "xfs_log_commit_cil";
    /// <summary>mutex_lock of an AG's pag_ici_reclaim_lock, held by another inode reclaim walker.</summary>
    public const string ReclaimInodesAg = "xfs_reclaim_inodes_ag";

    /// <summary>What a task asleep in <paramref name="waitChannel"/> waits for; null for a channel not named here.</summary>
    public static string? WaitsFor(string waitChannel) => waitChannel switch
    {
        LogForceLsn or LogForce => "the CIL push, which waits for xc_ctx_lock in write mode while commits hold it for read",
        CommitCil => "xc_ctx_lock for read, behind a CIL push waiting for it in write mode",
        ReclaimInodesAg => "an AG's reclaim lock, held by another inode reclaim walker",
        _ => null,
    };
}
