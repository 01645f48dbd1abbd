using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Workload;

/// <summary>
/// The set-up phase's file creation (an fs_mark-like creator per worker's directories): lookup
/// allocates the dentry (GFP_KERNEL), xfs_create allocates the xfs_inode inside its transaction
/// (GFP_NOFS), and the commit logs the directory block. The new dentry is left unused on the LRU.
/// </summary>
internal sealed class CreatorTask(Kernel k, int worker, Action<CreatorTask> done) : XfsTransactionTask($"fs_mark/{worker}", k, worker)
{
    public override long Step(long now)
    {
        for (int n = 0; n < FilesPerStep; n++)
        {
            int file = CurrentFile;
            if (file < 0)
            {
                done(this);
                return Exited;
            }
            if (Phase == 0)
            {
                int r = K.Xfs.AllocDentry(file, ref Attempt);
                if (r < 0)
                    return SleepAfter(r);
                Phase = 1;
            }
            if (Phase == 1)
            {
                int r = K.Xfs.AllocInode(file, inTransaction: true, ref Attempt);
                if (r < 0)
                    return SleepAfter(r);
                K.Xfs.Pin(file);
                K.Cpu.Charge(Symbol.XfsCreate, K.Scenario.CostCreateNs);
                Phase = 2;
            }
            if (Phase == 2)
            {
                // xfs_ialloc initialises the new inode in its cluster buffer and logs it; the new
                // name goes into the directory's last data block, a new one (xfs_da_get_buf) when
                // the last is full.
                int r = LogBuffers(file);
                if (r < 0)
                    return SleepAfter(r);
                Phase = 3;
            }
            if (!Commit(file, out long sleep))
                return sleep;
            K.Xfs.Unpin(file);
            K.Xfs.Created++;
            NextFile();
        }
        return 0;
    }
}
