using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;
using Policyc.Runtime.Slab;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>A log-vector buffer: a kmalloc object (slab id), a compound page block, or order-0 pages (vmalloc fallback).</summary>
internal struct LogVector
{
    public int Slab;
    public int Pfn;
    public int Order;
    public int[]? VmallocPages;
    public long Capacity;
    /// <summary>lv_size: the size asked for when it was allocated.</summary>
    public long Size;

    public static LogVector None => new() { Slab = -1, Pfn = -1 };
    public readonly bool Present => Slab >= 0 || Pfn >= 0 || VmallocPages is not null;
}

/// <summary>One directory block logged in the current checkpoint: which 128-byte chunks are dirty, and its log vector.</summary>
internal sealed class DirBlockItem
{
    public long BlockId = -1;
    public readonly ulong[] Dirty;
    public int DirtyChunks;
    public LogVector Lv = LogVector.None;

    public DirBlockItem(long dirBlockBytes) => Dirty = new ulong[(dirBlockBytes / Cil.ChunkBytes + 63) / 64];
}

/// <summary>
/// The committed item list of XFS's delayed logging (fs/xfs/xfs_log_cil.c). Each commit formats the
/// dirty regions of the directory block into a log vector allocated with kmem_zalloc(KM_SLEEP |
/// KM_NOFS) while holding xc_ctx_lock for read; a buffer already big enough is reused. A checkpoint
/// (the CIL push, which takes the lock for write and so waits for every commit in progress) frees
/// the log vectors of everything it wrote.
/// </summary>
internal sealed class Cil(Kernel k)
{
    public const int ChunkBytes = 128; // XFS_BLF_CHUNK
    const int LvHeaderBytes = 64;      // struct xfs_log_vec + its iovecs

    readonly List<LogVector> retired = [];
    readonly List<DirBlockItem> items = [];
    public int CommitsInProgress;
    /// <summary>Bytes of log vectors the current checkpoint holds (the CIL's space used).</summary>
    public long SpaceUsed;
    public long Checkpoints;
    /// <summary>When each checkpoint was pushed (index = checkpoint sequence).</summary>
    public readonly List<long> PushedAt = [];
    /// <summary>Checkpoints before this one have been written back by the AIL: their inodes are clean.</summary>
    public int CleanCheckpoints { get; private set; }

    /// <summary>Checkpoints the AIL was last told to write back (xfs_ail_push_all sets the target to the log head).</summary>
    int ailTarget;

    /// <summary>
    /// xfs_ail_push_all: xfsaild is to write back everything in the log so far. Called by the log
    /// worker after its force and by the shrinker's inode reclaim before it walks.
    /// </summary>
    public void AilPushAll() => ailTarget = PushedAt.Count;

    /// <summary>
    /// xfsaild at work: the metadata of checkpoints below the AIL's target is written back once the
    /// scenario's AIL writeback delay has passed since the checkpoint reached the log. It needs no
    /// CIL push, so it goes on while the CIL is stuck.
    /// </summary>
    public void AdvanceAil(long now)
    {
        int before = CleanCheckpoints;
        while (CleanCheckpoints < ailTarget && PushedAt[CleanCheckpoints] + k.Scenario.AilWritebackDelay <= now)
            CleanCheckpoints++;
        if (CleanCheckpoints > before)
            WrittenBack?.Invoke(CleanCheckpoints);
    }

    /// <summary>Raised when the AIL has written back more checkpoints: the argument is the new <see cref="CleanCheckpoints"/>.</summary>
    public event Action<int>? WrittenBack;

    /// <summary>
    /// A push is waiting for xc_ctx_lock in write mode: it starts once no commit holds the lock for
    /// read. rwsems queue new readers behind a waiting writer, so no new commit starts meanwhile.
    /// </summary>
    bool pushPending;
    /// <summary>Tasks asleep until the next push: log forces, and commits queued behind the waiting push.</summary>
    readonly List<SimTask> waiters = [];
    public readonly Gfp CommitGfp = (GfpMasks.GFP_NOFS | Gfp.NOWARN | Gfp.ZERO);

    /// <summary>A task's directory-block item, freed with every checkpoint.</summary>
    public DirBlockItem NewItem()
    {
        var item = new DirBlockItem(k.Scenario.DirBlockBytes);
        items.Add(item);
        return item;
    }

    public long EntriesPerBlock => Math.Max(1, k.Scenario.DirBlockBytes / k.Scenario.DirentBytes);

    /// <summary>Data blocks of a directory of the scenario's size, its names packed in creation order.</summary>
    public long DataBlocksPerDirectory => (k.Scenario.FilesPerDirectory + EntriesPerBlock - 1) / EntriesPerBlock;

    const int LeafEntryBytes = 8;   // xfs_dir2_leaf_entry: hash value and data address
    const int LeafHeaderBytes = 64; // xfs_dir3_leaf_hdr, rounded

    /// <summary>
    /// Leaf blocks of a node-form directory of the scenario's size: the hash-ordered index of its
    /// names, split when full and so about 69% full on average (random-order B-tree inserts).
    /// </summary>
    public int LeafBlocksPerDirectory
    {
        get
        {
            long perLeaf = (k.Scenario.DirBlockBytes - LeafHeaderBytes) / LeafEntryBytes * 69 / 100;
            return (int)Math.Max(1, (k.Scenario.FilesPerDirectory + perLeaf - 1) / perLeaf);
        }
    }

    /// <summary>
    /// xfs_dir3_leaf_log_ents and xfs_dir3_leaf_log_header: the removed (or added) name's leaf entry,
    /// at the place its hash gives, and the leaf header with its stale count.
    /// </summary>
    public void DirtyLeafEntry(DirBlockItem item, long blockId, long hash)
    {
        long entries = (k.Scenario.DirBlockBytes - LeafHeaderBytes) / LeafEntryBytes;
        long entry = hash % entries;
        SwitchBlock(item, blockId);
        Mark(item, 0);
        Mark(item, (int)((LeafHeaderBytes + entry * LeafEntryBytes) / ChunkBytes));
    }

    /// <summary>Marks the chunk of the removed entry (and the block header with its bestfree table) dirty.</summary>
    public void DirtyEntry(DirBlockItem item, long blockId, long entryInBlock)
    {
        SwitchBlock(item, blockId);
        Mark(item, 0);
        Mark(item, (int)(entryInBlock * k.Scenario.DirentBytes / ChunkBytes));
    }

    void SwitchBlock(DirBlockItem item, long blockId)
    {
        if (item.BlockId != blockId)
        {
            // The worker moved to the next block: the old item stays in the CIL until the checkpoint.
            if (item.Lv.Present)
                retired.Add(item.Lv);
            item.Lv = LogVector.None;
            Array.Clear(item.Dirty);
            item.DirtyChunks = 0;
            item.BlockId = blockId;
        }
    }

    static void Mark(DirBlockItem item, int chunk)
    {
        ulong bit = 1UL << (chunk & 63);
        if ((item.Dirty[chunk >> 6] & bit) == 0)
        {
            item.Dirty[chunk >> 6] |= bit;
            item.DirtyChunks++;
        }
    }

    /// <summary>
    /// The buffer size the item's log vector needs now: 3.13's own (<see cref="FormatBufSize"/>) with
    /// the scenario's lv-format-size switch, else the shipped model's 64 bytes and the dirty chunks.
    /// </summary>
    public long LvBytes(DirBlockItem item) =>
        k.Scenario.LvFormatSize ? FormatBufSize(item, k.Scenario.DirBlockBytes) : LvHeaderBytes + (long)item.DirtyChunks * ChunkBytes;

    /// <summary>
    /// xlog_cil_insert_format_items' buf_size for a buffer log item (xfs_buf_item_size): one iovec for
    /// the buffer log format, its header and dirty bitmap (xfs_buf_log_format_size: 20 bytes and a
    /// word per 32 chunks), and one per contiguous run of dirty chunks, each iovec's data 8-byte
    /// aligned; struct xfs_log_vec (56 bytes) and the iovec array (16 bytes each) in front. A fully
    /// dirty 64 KiB block needs 65,728 bytes, and one with a single clean chunk 65,600 or more: both order 5.
    /// </summary>
    public static long FormatBufSize(DirBlockItem item, long blockBytes)
    {
        long runs = 0;
        ulong previousTop = 0;
        foreach (ulong word in item.Dirty)
        {
            // A run starts at every dirty chunk whose predecessor is clean.
            runs += System.Numerics.BitOperations.PopCount(word & ~((word << 1) | previousTop));
            previousTop = word >> 63;
        }
        long niovecs = 1 + runs;
        long formatBytes = 20 + 4 * ((blockBytes / ChunkBytes + 31) / 32);
        long nbytes = RoundUp8(formatBytes + (long)item.DirtyChunks * ChunkBytes + niovecs * 8);
        return nbytes + RoundUp8(56 + niovecs * 16);
    }

    static long RoundUp8(long bytes) => (bytes + 7) & ~7L;

    /// <summary>TryFormat's wait when kmalloc returned NULL rather than asking to loop.</summary>
    public const long NoWait = long.MinValue;

    /// <summary>
    /// One kmalloc attempt for the item's log vector (the body of kmem_alloc's loop). Returns true on
    /// success or when the old buffer is big enough; false when kmalloc returned NULL. Sets
    /// <paramref name="waitNs"/> when the page allocator wants to sleep and loop (orders up to 3),
    /// otherwise leaves it <see cref="NoWait"/>.
    /// </summary>
    public bool TryFormat(DirBlockItem item, bool fallbackOrder0, ref AllocAttempt attempt, out long waitNs)
    {
        waitNs = NoWait;
        FailedOrder = -1;
        long size = LvBytes(item);
        // 3.13 reuses the buffer for a format that fits lv_size, the size it asked for; the shipped
        // model's simplification reuses it up to what the allocator gave (scenario lv-exact-reuse).
        if (item.Lv.Present && (k.Scenario.LvExactReuse ? item.Lv.Size : item.Lv.Capacity) >= size)
            return true;
        LogVector lv = LogVector.None;
        if (size <= SlabAllocator.KmallocMaxCacheSize)
        {
            var cache = k.Slab.KmallocCache(size);
            int slab = k.Slab.Alloc(cache, CommitGfp, ref attempt);
            if (slab == PageAllocator.Wait)
            {
                waitNs = attempt.WaitNs;
                return false;
            }
            if (slab < 0)
            {
                FailedOrder = cache.MinOrder;
                return false;
            }
            lv.Slab = slab;
            lv.Capacity = cache.ObjSize;
        }
        else
        {
            int order = GetOrder(size);
            if (fallbackOrder0)
            {
                if (!Vmalloc(order, ref lv))
                {
                    FailedOrder = 0;
                    return false;
                }
            }
            else
            {
                int pfn = k.PageAlloc.AllocPages(CommitGfp | Gfp.COMP, order, PageState.Kernel, -1, ref attempt, size);
                if (pfn == PageAllocator.Wait)
                {
                    waitNs = attempt.WaitNs;
                    return false;
                }
                if (pfn < 0)
                {
                    FailedOrder = order;
                    return false;
                }
                lv.Pfn = pfn;
                lv.Order = order;
            }
            lv.Capacity = PolicyTypes.PageSize << order;
        }
        lv.Size = size;
        SpaceUsed += lv.Capacity - (item.Lv.Present ? item.Lv.Capacity : 0);
        Free(item.Lv);
        item.Lv = lv;
        return true;
    }

    /// <summary>After <see cref="TryFormat"/> returned false with no wait: the order of the page allocation that failed.</summary>
    public int FailedOrder { get; private set; } = -1;

    /// <summary>kmem_alloc_large's vmalloc: the buffer from order-0 pages (all or nothing for one attempt).</summary>
    bool Vmalloc(int order, ref LogVector lv)
    {
        var pages = new int[1 << order];
        for (int i = 0; i < pages.Length; i++)
        {
            var attempt = new AllocAttempt();
            int pfn = k.PageAlloc.AllocPages(CommitGfp, 0, PageState.Kernel, -1, ref attempt);
            if (pfn < 0)
            {
                for (int j = 0; j < i; j++)
                    k.PageAlloc.FreePages(pages[j], 0);
                return false;
            }
            pages[i] = pfn;
        }
        lv.VmallocPages = pages;
        return true;
    }

    /// <summary>get_order(): the smallest order whose pages hold <paramref name="size"/> bytes.</summary>
    public static int GetOrder(long size)
    {
        int order = 0;
        while ((PolicyTypes.PageSize << order) < size)
            order++;
        return order;
    }

    void Free(LogVector lv)
    {
        if (lv.Slab >= 0)
            k.Slab.Free(lv.Slab);
        else if (lv.Pfn >= 0)
            k.PageAlloc.FreePages(lv.Pfn, lv.Order);
        else if (lv.VmallocPages is { } pages)
            foreach (var p in pages)
                k.PageAlloc.FreePages(p, 0);
    }

    /// <summary>Raised after each push (log forces waiting on it are complete).</summary>
    public event Action? Pushed;

    /// <summary>True while a push waits for the commits in progress: a new commit must wait for it (down_read behind a queued writer).</summary>
    public bool PushWaiting => pushPending && CommitsInProgress > 0;

    /// <summary>
    /// The running task sleeps in <paramref name="waitChannel"/> until the next push (it is woken by
    /// <see cref="Push"/>).
    /// </summary>
    public void SleepUntilPush(string waitChannel)
    {
        var task = k.Scheduler.Current ?? throw new InvalidOperationException("only a running task can wait for the CIL push");
        if (!waiters.Contains(task))
            waiters.Add(task);
        k.Scheduler.BlockCurrent(waitChannel);
    }

    /// <summary>
    /// xfs_log_force for an item pinned in the CIL: push it now if no commit holds the context lock;
    /// otherwise the push waits for the commits in progress and the caller sleeps until it is done.
    /// Returns true if the log was forced without sleeping.
    /// </summary>
    public bool ForceOrSleep(string waitChannel)
    {
        pushPending = true;
        if (CommitsInProgress == 0)
        {
            Push();
            return true;
        }
        SleepUntilPush(waitChannel);
        return false;
    }

    /// <summary>A transaction finished committing; pushes the CIL once it holds its space limit and no commit is in progress.</summary>
    public void Committed()
    {
        SpaceUsed += k.Scenario.CilOtherBytesPerCommit;
        if (SpaceUsed >= k.Scenario.CilSpaceLimitBytes)
            pushPending = true;
        if (pushPending && CommitsInProgress == 0)
            Push();
    }

    /// <summary>xlog_cil_push: the checkpoint is written and every log vector in it freed.</summary>
    void Push()
    {
        foreach (var lv in retired)
            Free(lv);
        retired.Clear();
        foreach (var item in items)
        {
            Free(item.Lv);
            item.Lv = LogVector.None;
            // 3.13 keeps the buffer log item's dirty map (blf_data_map) until the buffer is written
            // back, and every relog formats all of it; a block the rm is working through stays pinned
            // by its relogs, so its map lasts as long as the worker stays in it (xfs-dirty-map-until-writeback).
            if (!k.Scenario.XfsDirtyMapUntilWriteback)
            {
                Array.Clear(item.Dirty);
                item.DirtyChunks = 0;
            }
        }
        SpaceUsed = 0;
        pushPending = false;
        PushedAt.Add(k.Now);
        Checkpoints++;
        foreach (var task in waiters)
            k.Scheduler.Wake(task);
        waiters.Clear();
        Pushed?.Invoke();
    }

    /// <summary>Log vectors the current checkpoint holds (items being logged and retired ones).</summary>
    public int LogVectors => retired.Count + items.Count(i => i.Lv.Present);

    /// <summary>Pages held by log vectors outside the slab (for the invariant check).</summary>
    public long PagesHeld()
    {
        long pages = 0;
        foreach (var lv in retired.Concat(items.Select(i => i.Lv)))
            if (lv.Pfn >= 0)
                pages += 1L << lv.Order;
            else if (lv.VmallocPages is { } p)
                pages += p.Length;
        return pages;
    }
}
