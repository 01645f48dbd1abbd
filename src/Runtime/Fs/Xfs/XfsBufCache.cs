using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// XFS's metadata buffer cache (fs/xfs/xfs_buf.c) for the tree's inode cluster buffers: each holds
/// 32 neighbouring on-disk inodes (an 8 KiB cluster of 256-byte inodes) in two order-0 pages that
/// xfs_buf_allocate_memory takes one at a time with GFP_NOFS, so they are unmovable pages placed
/// wherever the allocator has a free page. Creating or unlinking a file logs its cluster buffer; a
/// logged buffer is held by its log item until the AIL has written its checkpoint back, then it
/// sits on the buftarg LRU, where the buftarg shrinker frees it in any reclaim context, with or
/// without __GFP_FS. Scenario xfs-buffer-cache only.
/// </summary>
internal sealed class XfsBufCache
{
    public const int InodesPerCluster = 32; // XFS_INODE_BIG_CLUSTER_SIZE / 256-byte inodes
    public const int PagesPerBuffer = 2;
    /// <summary>XFS_INO_REF: an inode buffer gets one extra trip through the LRU before it is freed.</summary>
    const byte InoRef = 1;
    const int NotDirty = -1;

    readonly Kernel k;
    readonly long filesPerDir, clustersPerDir;
    /// <summary>Per buffer: its pages (-1 while not in memory), allocated one at a time.</summary>
    readonly int[] pages;
    /// <summary>Per buffer: the checkpoint that last logged it, or <see cref="NotDirty"/>.</summary>
    readonly int[] dirtyIn;
    readonly byte[] lruRef;
    readonly int[] next, prev;
    /// <summary>Logged buffers in the order they were logged, each with the checkpoint it was logged in.</summary>
    readonly Queue<(int Buffer, int Checkpoint)> logged = new();
    /// <summary>The buftarg's list_lru, one list per node (the node of the buffer's first page): clean, unused buffers.</summary>
    public readonly IndexList[] Lru;
    readonly bool[] onLru;

    public long PagesHeld { get; private set; }
    /// <summary>Buffers with all their pages in memory.</summary>
    public long Cached { get; private set; }
    /// <summary>Clean, unused buffers on every node's LRU.</summary>
    public long OnLru => Lru.Sum(l => l.Count);
    /// <summary>Buffers the shrinker freed since boot.</summary>
    public long BuffersFreed { get; private set; }

    public XfsBufCache(Kernel k, long files, long filesPerDir)
    {
        this.k = k;
        this.filesPerDir = filesPerDir;
        clustersPerDir = (filesPerDir + InodesPerCluster - 1) / InodesPerCluster;
        int buffers = checked((int)((files / filesPerDir + 1) * clustersPerDir));
        pages = new int[buffers * PagesPerBuffer];
        Array.Fill(pages, -1);
        dirtyIn = new int[buffers];
        Array.Fill(dirtyIn, NotDirty);
        lruRef = new byte[buffers];
        next = new int[buffers];
        prev = new int[buffers];
        onLru = new bool[buffers];
        Lru = [.. Enumerable.Repeat(IndexList.Empty, k.Nodes.Length)];
    }

    /// <summary>The cluster buffer holding the file's on-disk inode: a directory's files fill clusters of their own.</summary>
    int BufferOf(int file) => (int)(file / filesPerDir * clustersPerDir + file % filesPerDir / InodesPerCluster);

    int NodeOf(int buffer) => k.NodeOf(pages[buffer * PagesPerBuffer]);

    /// <summary>
    /// xfs_trans_read_buf + xfs_trans_log_buf for the file's cluster buffer: read it in if it is not
    /// cached (its pages allocated with GFP_NOFS, inside the transaction) and log it in the current
    /// checkpoint. Returns 0, or the page allocator's negative result to wait on; the caller retries
    /// with the same <paramref name="attempt"/>, and pages already allocated are kept.
    /// </summary>
    public int LogClusterOf(int file, ref AllocAttempt attempt)
    {
        int b = BufferOf(file);
        if (pages[b * PagesPerBuffer + PagesPerBuffer - 1] < 0)
        {
            for (int i = 0; i < PagesPerBuffer; i++)
            {
                ref int pfn = ref pages[b * PagesPerBuffer + i];
                if (pfn >= 0)
                    continue;
                int p = k.PageAlloc.AllocPages(GfpMasks.GFP_NOFS | Gfp.NOWARN, 0, PageState.Kernel, -1, ref attempt);
                if (p < 0)
                    return p;
                pfn = p;
                PagesHeld++;
            }
            Cached++;
        }
        if (onLru[b])
        {
            Lru[NodeOf(b)].Remove(next, prev, b);
            onLru[b] = false;
        }
        int checkpoint = (int)k.Xfs.Cil.Checkpoints;
        if (dirtyIn[b] != checkpoint)
        {
            dirtyIn[b] = checkpoint;
            logged.Enqueue((b, checkpoint));
        }
        return 0;
    }

    /// <summary>
    /// xfsaild's writeback reaching the buffers: those whose last checkpoint the AIL has written back
    /// are clean, their log items let go, and xfs_buf_rele puts them on the LRU.
    /// </summary>
    public void WrittenBack(int cleanCheckpoints)
    {
        while (logged.Count > 0 && logged.Peek().Checkpoint < cleanCheckpoints)
        {
            var (b, checkpoint) = logged.Dequeue();
            if (dirtyIn[b] != checkpoint)
                continue; // logged again later: still held
            dirtyIn[b] = NotDirty;
            lruRef[b] = InoRef;
            Lru[NodeOf(b)].AddTail(next, prev, b);
            onLru[b] = true;
        }
    }

    /// <summary>Every logged buffer written back (the end of the set-up, see the scenario's xfs-buffer-cache).</summary>
    public void WriteBackAll() => WrittenBack(int.MaxValue);

    /// <summary>
    /// xfs_buftarg_shrink_scan for one node: walk up to <paramref name="nr"/> buffers from the head of
    /// the node's LRU; one with a reference left loses it and goes round again, one without is freed.
    /// Returns the buffers freed.
    /// </summary>
    public long Shrink(long nr, int nid)
    {
        long freed = 0;
        ref var lru = ref Lru[nid];
        for (long scanned = 0; scanned < nr && lru.Head >= 0; scanned++)
        {
            int b = lru.Head;
            lru.Remove(next, prev, b);
            if (lruRef[b] > 0)
            {
                lruRef[b]--;
                lru.AddTail(next, prev, b);
                continue;
            }
            onLru[b] = false;
            for (int i = 0; i < PagesPerBuffer; i++)
            {
                k.PageAlloc.FreePages(pages[b * PagesPerBuffer + i], 0);
                pages[b * PagesPerBuffer + i] = -1;
                PagesHeld--;
            }
            Cached--;
            freed++;
        }
        BuffersFreed += freed;
        return freed;
    }
}
