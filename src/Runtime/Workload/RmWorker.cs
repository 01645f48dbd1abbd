using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Workload;

/// <summary>
/// One `rm -rf` over a share of the tree's directories. Per file: lookup (a cached dentry, or d_alloc
/// plus xfs_iget allocating the xfs_inode with GFP_KERNEL), unlink (the dentry turns negative and
/// stays cached, the inode becomes reclaimable), and the transaction commit whose log vector is
/// allocated under KM_NOFS through kmem_alloc's retry loop — where the seed machine livelocked.
/// </summary>
internal sealed class RmWorker(Kernel k, int worker, Action<RmWorker> done) : XfsTransactionTask($"rm/{worker}", k, worker)
{
    public bool Done { get; private set; }

    public override long Step(long now)
    {
        for (int n = 0; n < FilesPerStep; n++)
        {
            int file = CurrentFile;
            if (file < 0)
            {
                Done = true;
                done(this);
                return Exited;
            }
            var xfs = K.Xfs;
            if (Phase == 0)
            {
                if (xfs.FileOf(file).State is not (FileCacheState.DentryLru or FileCacheState.DentryInUse))
                {
                    int r = xfs.AllocDentry(file, ref Attempt);
                    if (r < 0)
                        return SleepAfter(r);
                }
                Phase = 1;
            }
            if (Phase == 1)
            {
                int r = xfs.AllocInode(file, inTransaction: false, ref Attempt);
                if (r < 0)
                    return SleepAfter(r);
                xfs.Pin(file);
                Phase = 2;
            }
            if (Phase == 2)
            {
                // xfs_iunlink puts the inode on the AGI's unlinked list through its cluster buffer,
                // and xfs_dir_removename takes the name out of its directory data block (which
                // getdents read in, if the buffer cache no longer held it).
                int r = LogBuffers(file);
                if (r < 0)
                    return SleepAfter(r);
                K.Cpu.Charge(Symbol.XfsRemove, K.Scenario.CostUnlinkNs);
                xfs.Unlink(file);
                Phase = 3; // unlinked; the commit may have to wait for the CIL lock
            }
            if (!Commit(file, out long sleep))
                return sleep;
            DirBlockRemoved(file);
            xfs.Removed++;
            NextFile();
        }
        return 0;
    }

    /// <summary>
    /// rm -rf removes the directory it has emptied (scenario vfs-rmdir): vfs_rmdir first frees its
    /// negative dentries. The rmdir's own transaction, one in a directory's worth of unlinks, is left out.
    /// </summary>
    protected override void DirectoryDone(long first, long end)
    {
        if (K.Scenario.VfsRmdir)
            K.Xfs.ShrinkDcacheParent(first, end);
    }
}
