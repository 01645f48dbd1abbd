using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// XFS's metadata buffer cache (fs/xfs/xfs_buf.c), one buftarg with one LRU, for two kinds of the
/// tree's buffers: inode cluster buffers (scenario xfs-buffer-cache), each 32 neighbouring on-disk
/// inodes (an 8 KiB cluster of 256-byte inodes) in two pages, and directory data blocks (scenario
/// xfs-dir-buffers), each a directory block's worth of pages (16 for 64 KiB). xfs_buf_allocate_memory
/// takes a buffer's pages one order-0 page at a time with GFP_NOFS, so they are unmovable pages placed
/// wherever the allocator has a free page. A transaction that logs a buffer reads it in if it is not
/// cached; a logged buffer is held by its log item until the AIL has written its checkpoint back, then
/// it sits on the buftarg LRU, where the buftarg shrinker frees it in any reclaim context, with or
/// without __GFP_FS. A directory data block that its last unlink empties is invalidated
/// (xfs_trans_binval): the stale buffer is freed once the checkpoint that logged it is written.
/// </summary>
internal sealed class XfsBufCache
{
    public const int InodesPerCluster = 32; // XFS_INODE_BIG_CLUSTER_SIZE / 256-byte inodes
    public const int PagesPerClusterBuffer = 2;
    /// <summary>
    /// What b_lru_ref of 2 (XFS_INO_REF, XFS_DIR_BTREE_REF) buys a buffer in 3.13: one more trip
    /// through the LRU. 3.13's xfs_buftarg_isolate tests the count the wrong way round (fixed later
    /// in stable): a buffer with references left is disposed of with one fewer, and xfs_buf_rele puts
    /// it back on the LRU while any remain, so it is freed on its second scan.
    /// </summary>
    const byte LruRef = 1;
    const int NotDirty = -1;
    /// <summary>In <see cref="dirtyIn"/>: invalidated, waiting for its checkpoint to be written.</summary>
    const int Stale = -2;

    readonly Kernel k;
    readonly long filesPerDir, clustersPerDir;
    /// <summary>Buffers 0 to clusterBuffers - 1 are inode clusters, the rest directory data blocks.</summary>
    readonly int clusterBuffers;
    readonly int pagesPerDirBuffer;
    /// <summary>Per buffer's pages: the frame, or -1 while not in memory; allocated one at a time.</summary>
    readonly int[] pages;
    /// <summary>Per buffer: the checkpoint that last logged it, <see cref="NotDirty"/> or <see cref="Stale"/>.</summary>
    readonly int[] dirtyIn;
    readonly byte[] lruRef;
    readonly int[] next, prev;
    ArrayLinks Links => new(next, prev);
    /// <summary>Logged buffers in the order they were logged, each with the checkpoint it was logged in.</summary>
    readonly Queue<(int Buffer, int Checkpoint)> logged = new();
    /// <summary>Invalidated buffers in the order they were, each with the checkpoint that must be written before it is freed.</summary>
    readonly Queue<(int Buffer, int Checkpoint)> stale = new();
    /// <summary>The buftarg's list_lru, one list per node (the node of the buffer's first page): clean, unused buffers.</summary>
    public readonly IndexList[] Lru;
    readonly bool[] onLru;

    public long PagesHeld { get; private set; }
    /// <summary>Buffers with all their pages in memory.</summary>
    public long Cached { get; private set; }
    /// <summary>Of those, directory data blocks.</summary>
    public long DirCached { get; private set; }
    /// <summary>Clean, unused buffers on every node's LRU.</summary>
    public long OnLru => Lru.Sum(l => l.Count);
    /// <summary>Buffers the shrinker freed since boot.</summary>
    public long BuffersFreed { get; private set; }
    /// <summary>Emptied directory blocks freed since boot, once their checkpoint was written.</summary>
    public long StaleFreed { get; private set; }

    /// <param name="clusters">Whether inode cluster buffers are kept (xfs-buffer-cache).</param>
    /// <param name="dirBlocksPerDir">Directory data blocks per directory, or 0 to keep none (xfs-dir-buffers off).</param>
    public XfsBufCache(Kernel k, long files, long filesPerDir, bool clusters, long dirBlocksPerDir)
    {
        this.k = k;
        this.filesPerDir = filesPerDir;
        long directories = files / filesPerDir + 1;
        clustersPerDir = (filesPerDir + InodesPerCluster - 1) / InodesPerCluster;
        clusterBuffers = clusters ? checked((int)(directories * clustersPerDir)) : 0;
        pagesPerDirBuffer = (int)(k.Scenario.DirBlockBytes / PolicyTypes.PageSize);
        int dirBuffers = checked((int)(directories * dirBlocksPerDir));
        int buffers = clusterBuffers + dirBuffers;
        pages = new int[checked(clusterBuffers * PagesPerClusterBuffer + dirBuffers * pagesPerDirBuffer)];
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
    int ClusterOf(int file) => (int)(file / filesPerDir * clustersPerDir + file % filesPerDir / InodesPerCluster);

    int FirstPage(int buffer) => buffer < clusterBuffers
        ? buffer * PagesPerClusterBuffer
        : clusterBuffers * PagesPerClusterBuffer + (buffer - clusterBuffers) * pagesPerDirBuffer;

    int PageCount(int buffer) => buffer < clusterBuffers ? PagesPerClusterBuffer : pagesPerDirBuffer;

    int NodeOf(int buffer) => k.NodeOf(pages[FirstPage(buffer)]);

    /// <summary>
    /// xfs_trans_read_buf + xfs_trans_log_buf for the file's cluster buffer (xfs-buffer-cache only).
    /// See <see cref="Log"/>.
    /// </summary>
    public int LogClusterOf(int file, ref AllocAttempt attempt) => Log(ClusterOf(file), ref attempt);

    /// <summary>
    /// xfs_dir3_data_read (or xfs_da_get_buf for a new block) + xfs_trans_log_buf for a directory data
    /// block, numbered as the CIL numbers them (xfs-dir-buffers only). See <see cref="Log"/>.
    /// </summary>
    public int LogDirBlock(long block, ref AllocAttempt attempt) => Log(clusterBuffers + checked((int)block), ref attempt);

    /// <summary>
    /// Read the buffer in if it is not cached (its pages allocated with GFP_NOFS, inside the
    /// transaction) and log it in the current checkpoint. Returns 0, or the page allocator's negative
    /// result to wait on; the caller retries with the same <paramref name="attempt"/>, and pages
    /// already allocated are kept.
    /// </summary>
    int Log(int b, ref AllocAttempt attempt)
    {
        int first = FirstPage(b), count = PageCount(b);
        if (pages[first + count - 1] < 0)
        {
            for (int i = 0; i < count; i++)
            {
                ref int pfn = ref pages[first + i];
                if (pfn >= 0)
                    continue;
                int p = k.PageAlloc.AllocPages(GfpMasks.GFP_NOFS | Gfp.NOWARN, 0, PageState.Kernel, -1, ref attempt);
                if (p < 0)
                    return p;
                pfn = p;
                PagesHeld++;
            }
            Cached++;
            if (b >= clusterBuffers)
                DirCached++;
        }
        if (onLru[b])
        {
            Lru[NodeOf(b)].Remove(Links, b);
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
    /// xfs_dir2_shrink_inode's xfs_trans_binval: the unlink that emptied the directory data block
    /// frees it, and its buffer goes stale. The log item keeps the stale buffer until the checkpoint
    /// is written (xfs_buf_item_unpin), and then it is freed; it never reaches the LRU.
    /// </summary>
    public void StaleDirBlock(long block)
    {
        int b = clusterBuffers + checked((int)block);
        if (dirtyIn[b] == Stale || pages[FirstPage(b)] < 0)
            return;
        if (onLru[b])
        {
            Lru[NodeOf(b)].Remove(Links, b);
            onLru[b] = false;
        }
        dirtyIn[b] = Stale;
        stale.Enqueue((b, (int)k.Xfs.Cil.Checkpoints));
    }

    /// <summary>The CIL pushed a checkpoint: the stale buffers it logged are unpinned and freed.</summary>
    public void CheckpointWritten()
    {
        long written = k.Xfs.Cil.Checkpoints;
        while (stale.Count > 0 && stale.Peek().Checkpoint < written)
        {
            int b = stale.Dequeue().Buffer;
            dirtyIn[b] = NotDirty;
            FreeBuffer(b);
            StaleFreed++;
        }
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
                continue; // logged again later, or stale: still held
            dirtyIn[b] = NotDirty;
            lruRef[b] = LruRef;
            Lru[NodeOf(b)].AddTail(Links, b);
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
            lru.Remove(Links, b);
            if (lruRef[b] > 0)
            {
                lruRef[b]--;
                lru.AddTail(Links, b);
                continue;
            }
            onLru[b] = false;
            FreeBuffer(b);
            freed++;
        }
        BuffersFreed += freed;
        return freed;
    }

    void FreeBuffer(int b)
    {
        int first = FirstPage(b), count = PageCount(b);
        for (int i = 0; i < count; i++)
        {
            k.PageAlloc.FreePages(pages[first + i], 0);
            pages[first + i] = -1;
            PagesHeld--;
        }
        Cached--;
        if (b >= clusterBuffers)
            DirCached--;
    }
}
