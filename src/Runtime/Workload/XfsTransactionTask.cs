using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;
using Policyc.Runtime.Sim;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Workload;

/// <summary>
/// A task that modifies the XFS tree one file at a time (creating or removing), each file a
/// transaction whose commit formats the directory block into the CIL. Holds the state that lets a
/// step stop at an allocation that must wait and resume there: the file, the phase, the slow path's
/// progress and XFS's kmem_alloc retry count.
/// </summary>
internal abstract class XfsTransactionTask : SimTask
{
    protected readonly Kernel K;
    protected readonly int Worker;
    protected readonly DirBlockItem Item;
    /// <summary>The directory's leaf blocks this task has dirtied (scenario xfs-leaf-logging), one item each.</summary>
    readonly DirBlockItem[] leafItems = [];
    /// <summary>The leaf block the current transaction dirtied, if any.</summary>
    DirBlockItem? leaf;
    protected AllocAttempt Attempt;
    protected int Phase;
    long kmemRetries;
    /// <summary>Whether the commit in progress holds xc_ctx_lock for read while it allocates.</summary>
    bool holdsCtxLock;
    /// <summary>The CIL checkpoint the commit in progress dirtied its items for.</summary>
    long dirtiedIn;
    readonly int deadlockMessage;
    /// <summary>
    /// The directory size as a divisor (<see cref="XfsMount.DirectoryDivisor"/>), the directory
    /// entries a block holds (at most one per byte), and the blocks of a directory.
    /// </summary>
    readonly int dirFiles, entriesPerBlock;
    readonly long blocksPerDir;
    long directory;
    long file = -1, dirEnd;
    bool directoryDone;
    protected const int FilesPerStep = 32;

    protected XfsTransactionTask(string name, Kernel k, int worker) : base(name)
    {
        K = k;
        Worker = worker;
        Item = k.Xfs.Cil.NewItem();
        if (k.Scenario.XfsLeafLogging)
        {
            leafItems = new DirBlockItem[k.Xfs.Cil.LeafBlocksPerDirectory];
            for (int i = 0; i < leafItems.Length; i++)
                leafItems[i] = k.Xfs.Cil.NewItem();
        }
        directory = worker;
        long fpd = k.Scenario.FilesPerDirectory;
        dirFiles = XfsMount.DirectoryDivisor(fpd);
        entriesPerBlock = checked((int)k.Xfs.Cil.EntriesPerBlock);
        blocksPerDir = k.Xfs.Cil.DataBlocksPerDirectory;
        deadlockMessage = k.Log.Register($"XFS: possible memory allocation deadlock in kmem_alloc (mode:{Policy.GfpMasks.Format(k.Xfs.Cil.CommitGfp)})");
    }

    /// <summary>The file this task is working on, or -1 when its directories are done.</summary>
    protected int CurrentFile
    {
        get
        {
            if (file < 0 || file >= dirEnd)
            {
                long fpd = K.Scenario.FilesPerDirectory;
                if (file >= 0 && !directoryDone)
                {
                    directoryDone = true;
                    DirectoryDone(directory * fpd, dirEnd);
                }
                long start = file < 0 ? directory * fpd : (directory + K.Scenario.Workers) * fpd;
                if (start >= K.Scenario.Files)
                    return -1;
                if (file >= 0)
                    directory += K.Scenario.Workers;
                file = start;
                dirEnd = Math.Min(start + fpd, K.Scenario.Files);
                directoryDone = false;
            }
            return (int)file;
        }
    }

    /// <summary>Called once when the task has gone through every file of a directory (files <paramref name="first"/> to <paramref name="end"/>, exclusive).</summary>
    protected virtual void DirectoryDone(long first, long end)
    {
    }

    protected void NextFile()
    {
        file++;
        Phase = 0;
    }

    /// <summary>
    /// The commit: dirty the directory block's chunk, then kmem_alloc's loop body for its log vector.
    /// Returns true when committed; otherwise <paramref name="sleep"/> is the wait before the next try
    /// (congestion_wait, or the page allocator's own retry wait).
    /// </summary>
    protected bool Commit(int fileIndex, out long sleep)
    {
        sleep = 0;
        var cil = K.Xfs.Cil;
        if (Phase != Committing)
        {
            // 3.13 takes xc_ctx_lock for read before it allocates the log vectors, so a commit looping
            // in kmem_alloc holds up the next push; b1c5ebb21301 allocates them first. The lock is
            // modelled with the scenario's xfs-log-force; without it every commit counts as holding it.
            if (K.Scenario.XfsLogForce)
            {
                // The rule reads nothing; --explain stamps its answer with the time and the commit's request.
                K.Ctx.Clock = new ClockState { Now = K.Now };
                K.FillRequest(cil.CommitGfp, 0, 0, isKswapd: false);
                holdsCtxLock = !K.Policy.XfsLvAllocOutsideCilLock(in K.Ctx);
            }
            else
                holdsCtxLock = true;
            // down_read(&cil->xc_ctx_lock) queues behind a push waiting for the lock in write mode.
            if (holdsCtxLock && K.Scenario.XfsLogForce && cil.PushWaiting)
            {
                cil.SleepUntilPush(XfsWaitChannels.CommitCil);
                sleep = Blocked;
                return false;
            }
            DirtyItems(cil, fileIndex);
            if (holdsCtxLock)
                cil.CommitsInProgress++;
            Phase = Committing;
        }
        else if (!holdsCtxLock && dirtiedIn != cil.Checkpoints)
        {
            // Allocating outside the lock, the transaction let a push through: its change goes into
            // the next checkpoint, and the buffer it needs is sized for that one.
            DirtyItems(cil, fileIndex);
        }
        // xlog_cil_insert_format_items: every dirty item of the transaction gets its log vector; a
        // failed kmalloc for any of them is the kmem_alloc loop. Each item's buffer is its own
        // kmem_alloc call, so the policy is asked about each with that buffer's size.
        DirBlockItem? failed = null;
        if (!cil.TryFormat(Item, Fallback(cil, Item), ref Attempt, out long waitNs))
            failed = Item;
        else if (leaf is not null && !cil.TryFormat(leaf, Fallback(cil, leaf), ref Attempt, out waitNs))
            failed = leaf;
        if (failed is null)
        {
            // With the buffers allocated, inserting them takes the lock only for a moment: no commit
            // outside it ever makes a push wait.
            kmemRetries = 0;
            if (holdsCtxLock)
                cil.CommitsInProgress--;
            cil.Committed();
            return true;
        }
        if (waitNs != Cil.NoWait)
        {
            sleep = waitNs; // still inside the page allocator's own loop (or asleep in its reclaim)
            return false;
        }
        // kmalloc returned NULL: count, warn every N, congestion_wait.
        kmemRetries++;
        if (cil.FailedOrder >= 0)
            K.Counters.KmemAllocFailures[cil.FailedOrder]++;
        K.Cpu.Charge(Symbol.KmemAlloc, K.Scenario.CostKmemRetryNs);
        FillKmemRequest(cil, failed);
        long every = K.Policy.XfsDeadlockWarnEvery(in K.Ctx);
        if (every > 0 && kmemRetries % every == 0)
            K.Log.Print(deadlockMessage);
        sleep = Math.Max(0, K.Policy.XfsKmemRetryWait(in K.Ctx));
        return false;
    }

    /// <summary>
    /// The transaction's change to the directory: the data block's entry, and with xfs-leaf-logging
    /// the leaf block's, dirtied in the items that go into the CIL's current checkpoint.
    /// </summary>
    void DirtyItems(Cil cil, int fileIndex)
    {
        var (dir, block, entry) = Locate(fileIndex);
        cil.DirtyEntry(Item, block, entry);
        leaf = null;
        if (leafItems.Length > 0)
        {
            // The name's hash picks the leaf block and the entry in it: a hash-ordered leaf is
            // dirtied at scattered places, whatever order the names are removed in.
            ulong hash = (ulong)fileIndex * 0x9E3779B97F4A7C15UL;
            int which = (int)((hash >> 32) % (ulong)leafItems.Length);
            leaf = leafItems[which];
            cil.DirtyLeafEntry(leaf, (long)dir * leafItems.Length + which, (long)(hash & 0xFFFFFFFF));
        }
        dirtiedIn = cil.Checkpoints;
    }

    /// <summary>
    /// Whether this retry of the item's log-vector buffer falls back to order-0 pages. Only a retry
    /// asks the policy: filling the context (node-wide sums) costs more than a commit, so a first
    /// attempt, which is nearly every commit, does not fill it.
    /// </summary>
    bool Fallback(Cil cil, DirBlockItem item)
    {
        if (kmemRetries == 0)
            return false;
        FillKmemRequest(cil, item);
        return K.Policy.XfsKmemFallbackOrder0(in K.Ctx);
    }

    /// <summary>
    /// The hook context of kmem_alloc's loop for an item's log vector: the request, with the order
    /// of the buffer's pages (get_order of its size: 5 for the log vector of a fully dirty 64 KiB
    /// block), and its retries so far.
    /// </summary>
    void FillKmemRequest(Cil cil, DirBlockItem item)
    {
        long size = cil.LvBytes(item);
        K.FillCommon();
        K.FillRequest(cil.CommitGfp, Cil.GetOrder(size), size, false);
        K.Ctx.Request.Retries = kmemRetries;
    }

    /// <summary>
    /// The transaction's buffers (scenarios xfs-buffer-cache and xfs-dir-buffers): the file's inode
    /// cluster buffer and its directory data block, each read in if not cached and logged. Returns 0,
    /// or the page allocator's negative result; a retry keeps what was already read in.
    /// </summary>
    protected int LogBuffers(int fileIndex)
    {
        if (K.Xfs.Buffers is not { } buffers)
            return 0;
        if (K.Scenario.XfsBufferCache)
        {
            int r = buffers.LogClusterOf(fileIndex, ref Attempt);
            if (r < 0)
                return r;
        }
        return K.Scenario.XfsDirBuffers ? buffers.LogDirBlock(Locate(fileIndex).Block, ref Attempt) : 0;
    }

    /// <summary>
    /// rm's unlink of the directory data block's last entry empties it (scenario xfs-dir-buffers):
    /// xfs_dir2_shrink_inode frees the block and invalidates its buffer. rm -rf removes a directory's
    /// names in the order it created them, so a block is empty once its last entry, or the
    /// directory's last file, is gone.
    /// </summary>
    protected void DirBlockRemoved(int fileIndex)
    {
        if (!K.Scenario.XfsDirBuffers)
            return;
        var (_, block, entry) = Locate(fileIndex);
        if (entry == entriesPerBlock - 1 || fileIndex + 1 == dirEnd)
            K.Xfs.Buffers!.StaleDirBlock(block);
    }

    /// <summary>
    /// Where the file's name is: its directory, the directory data block that holds it (numbered
    /// across the tree, as the CIL and the buffer cache number them) and its entry in that block.
    /// One 32-bit division for the directory and one for the block: every commit comes here.
    /// </summary>
    (int Dir, long Block, int Entry) Locate(int fileIndex)
    {
        var (dir, pos) = Math.DivRem(fileIndex, dirFiles);
        var (block, entry) = Math.DivRem(pos, entriesPerBlock);
        return (dir, dir * blocksPerDir + block, entry);
    }

    /// <summary>The phase of a file whose transaction is committing (its directory block already dirtied).</summary>
    protected const int Committing = 99;

    /// <summary>How long to wait after a slab allocation did not return an object.</summary>
    protected long SleepAfter(int result) => result == PageAllocator.Wait ? Attempt.WaitNs : 20_000_000;
}
