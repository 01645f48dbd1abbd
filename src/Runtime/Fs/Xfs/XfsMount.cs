using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;
using Policyc.Runtime.Slab;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>Where a file's dentry and inode are.</summary>
internal enum FileCacheState : byte
{
    /// <summary>On disk only (not yet created, or created and since evicted from every cache).</summary>
    OnDisk,
    /// <summary>Dentry in use by a task (lookup in progress).</summary>
    DentryInUse,
    /// <summary>Unused dentry on the superblock's dentry LRU; its inode is pinned by it.</summary>
    DentryLru,
    /// <summary>No dentry; the inode is on the superblock's inode LRU.</summary>
    InodeLru,
    /// <summary>
    /// Evicted from the VFS: the xfs_inode is reclaimable and waits for XFS inode reclaim. A removed
    /// file in this state may still have its negative dentry on the dentry LRU.
    /// </summary>
    XfsReclaimable,
    /// <summary>Unlinked and its xfs_inode freed (its negative dentry may still be cached).</summary>
    Gone,
}

/// <summary>
/// The XFS filesystem under the workload: the tree's files with their dentries (dentry cache, plus
/// an external name in kmalloc-64 for long names) and xfs_inodes (the xfs_inode slab), the
/// superblock's dentry and inode LRUs, XFS's reclaimable inodes, and the CIL.
/// </summary>
internal sealed class XfsMount
{
    readonly Kernel k;
    public readonly long Files;
    /// <summary>Every file's cache state, links and slab objects.</summary>
    readonly FileRecord[] records;
    /// <summary>When each inode chunk was freed (scenario xfs-stale-inodes only).</summary>
    readonly InodeChunks? chunks;
    /// <summary>
    /// The superblock's dentry list_lru, one list per node (the node of the dentry's slab page):
    /// unused dentries, positive (pinning their inode) and negative (of removed files), oldest first.
    /// </summary>
    public readonly IndexList[] DentryLru;
    /// <summary>The superblock's inode list_lru, one list per node (the node of the inode's slab page).</summary>
    public readonly IndexList[] InodeLru;
    /// <summary>
    /// Scenario vfs-lazy-lru only: whether the file's dentry is linked on the dentry LRU (it may be in
    /// use), DCACHE_REFERENCED, and I_REFERENCED of an inode on the inode LRU.
    /// </summary>
    readonly bool[]? dentryOnLru, dentryReferenced, inodeReferenced;
    public IndexList Reclaimable = IndexList.Empty;
    /// <summary>The reclaimable inodes by AG and inode number, for the shrinker's walk (scenario xfs-log-force only).</summary>
    readonly InodeReclaim? inodeReclaim;
    readonly SlabCache names;
    public readonly Cil Cil;
    public readonly SuperblockShrinker Shrinker;
    /// <summary>The buffer cache: inode cluster buffers (scenario xfs-buffer-cache) and directory data blocks (xfs-dir-buffers); null with neither.</summary>
    public readonly XfsBufCache? Buffers;
    public long Created, Removed;

    public XfsMount(Kernel k)
    {
        this.k = k;
        Files = k.Scenario.Files;
        int n = checked((int)Files);
        records = new FileRecord[n];
        Array.Fill(records, FileRecord.Uncached);
        if (k.Scenario.XfsStaleInodes)
            chunks = new InodeChunks(Files, k.Scenario.FilesPerDirectory);
        DentryLru = [.. Enumerable.Repeat(IndexList.Empty, k.Nodes.Length)];
        InodeLru = [.. Enumerable.Repeat(IndexList.Empty, k.Nodes.Length)];
        if (k.Scenario.VfsLazyLru)
        {
            dentryOnLru = new bool[n];
            dentryReferenced = new bool[n];
            inodeReferenced = new bool[n];
        }
        names = k.Slab.KmallocCache(64);
        Cil = new Cil(k);
        if (k.Scenario.XfsLogForce)
        {
            inodeReclaim = new InodeReclaim(k, Files);
            Cil.Pushed += inodeReclaim.LogForced;
        }
        Shrinker = new SuperblockShrinker(k, this);
        k.Shrinkers.Register(Shrinker);
        if (k.Scenario.XfsBufferCache || k.Scenario.XfsDirBuffers)
        {
            long dirBlocks = k.Scenario.XfsDirBuffers ? Cil.DataBlocksPerDirectory : 0;
            Buffers = new XfsBufCache(k, Files, k.Scenario.FilesPerDirectory, k.Scenario.XfsBufferCache, dirBlocks);
            Cil.WrittenBack += Buffers.WrittenBack;
            Cil.Pushed += Buffers.CheckpointWritten;
            k.Shrinkers.Register(new BuftargShrinker(Buffers));
        }
    }

    /// <summary>The inode lists' links, threaded through the file records.</summary>
    InodeLinks InodeListLinks => new(records);

    /// <summary>The dentry LRU's links, threaded through the file records.</summary>
    DentryLinks DentryLruLinks => new(records);

    /// <summary>A file's record, read-only: where its dentry and inode are and what state they are in.</summary>
    public ref readonly FileRecord FileOf(int file) => ref records[file];

    /// <summary>Unused dentries on every node's list.</summary>
    public long DentryLruCount => DentryLru.Sum(l => l.Count);

    /// <summary>Unused inodes on every node's list.</summary>
    public long InodeLruCount => InodeLru.Sum(l => l.Count);

    /// <summary>The files on one node's dentry LRU, oldest first (for invariant checks).</summary>
    public IEnumerable<int> DentryLruFiles(int nid)
    {
        for (int file = DentryLru[nid].Head; file >= 0; file = records[file].DentryNext)
            yield return file;
    }

    /// <summary>The files on one node's inode LRU, oldest first (for invariant checks).</summary>
    public IEnumerable<int> InodeLruFiles(int nid)
    {
        for (int file = InodeLru[nid].Head; file >= 0; file = records[file].Next)
            yield return file;
    }

    /// <summary>
    /// The directory size as a divisor of file indices. A file index is an int, so a directory
    /// larger than int.MaxValue holds every file and divides like int.MaxValue. The per-file paths
    /// (every commit, every inode reclaim visits) divide by it in 32 bits, a fraction of the cost
    /// of a 64-bit division.
    /// </summary>
    public static int DirectoryDivisor(long filesPerDirectory) => (int)Math.Min(filesPerDirectory, int.MaxValue);

    int DentryNode(int file) => k.Slab.NodeOf(records[file].DentrySlab);

    int InodeNode(int file) => k.Slab.NodeOf(records[file].InodeSlab);

    bool LongName(int file) => (int)((ulong)file * 2654435761UL % 100) < k.Scenario.LongNamePercent;

    /// <summary>d_alloc (+ the external name): GFP_KERNEL from the VFS, outside any transaction.</summary>
    public int AllocDentry(int file, ref AllocAttempt attempt)
    {
        if (records[file].DentrySlab < 0)
        {
            int d = k.Slab.Alloc(k.Slab.Dentry, GfpMasks.GFP_KERNEL, ref attempt);
            if (d < 0)
                return d;
            records[file].DentrySlab = d;
        }
        if (records[file].NameSlab < 0 && LongName(file))
        {
            int s = k.Slab.Alloc(names, GfpMasks.GFP_KERNEL, ref attempt);
            if (s < 0)
                return s;
            records[file].NameSlab = s;
        }
        return 0;
    }

    /// <summary>xfs_inode_alloc: KM_SLEEP, and NOFS inside a transaction (file creation).</summary>
    public int AllocInode(int file, bool inTransaction, ref AllocAttempt attempt)
    {
        if (records[file].InodeSlab >= 0)
            return 0;
        var gfp = inTransaction ? GfpMasks.GFP_NOFS | Gfp.NOWARN : GfpMasks.GFP_KERNEL | Gfp.NOWARN;
        int s = k.Slab.Alloc(k.Slab.XfsInode, gfp, ref attempt);
        if (s < 0)
            return s;
        records[file].InodeSlab = s;
        return 0;
    }

    /// <summary>The file's dentry and inode are instantiated and in use by the caller (after create or lookup).</summary>
    public void Pin(int file)
    {
        // 3.13's dget leaves the dentry on the LRU; the next prune that meets it takes it off.
        if (dentryOnLru is null || records[file].State != FileCacheState.DentryLru)
            Detach(file);
        records[file].State = FileCacheState.DentryInUse;
    }

    /// <summary>dput of an unused dentry: onto the dentry LRU.</summary>
    public void Unpin(int file)
    {
        records[file].State = FileCacheState.DentryLru;
        DentryLruAdd(file);
    }

    /// <summary>
    /// dentry_lru_add from dput: to the young end, or with vfs-lazy-lru, referenced and added only
    /// if it is not on the list already.
    /// </summary>
    void DentryLruAdd(int file)
    {
        if (dentryOnLru is null)
        {
            DentryLru[DentryNode(file)].AddTail(DentryLruLinks, file);
            return;
        }
        dentryReferenced![file] = true;
        if (dentryOnLru[file])
            return;
        DentryLru[DentryNode(file)].AddTail(DentryLruLinks, file);
        dentryOnLru[file] = true;
    }

    void DentryLruDel(int file)
    {
        DentryLru[DentryNode(file)].Remove(DentryLruLinks, file);
        if (dentryOnLru is not null)
            dentryOnLru[file] = false;
    }

    /// <summary>Takes the file off whichever LRU holds it; a reclaimable inode is recycled by xfs_iget.</summary>
    void Detach(int file)
    {
        switch (records[file].State)
        {
            case FileCacheState.DentryLru: DentryLruDel(file); break;
            case FileCacheState.InodeLru: InodeLru[InodeNode(file)].Remove(InodeListLinks, file); break;
            case FileCacheState.XfsReclaimable: UntagReclaimable(file); break;
        }
    }

    /// <summary>
    /// vfs_unlink + the final dput/iput: d_delete turns the dentry negative (the unlinking task holds
    /// the only reference), and dput leaves it, name and all, unused on the dentry LRU until a shrinker
    /// prunes it; the evicted inode becomes reclaimable.
    /// </summary>
    public void Unlink(int file)
    {
        Detach(file);
        records[file].Unlinked = true;
        records[file].UnlinkCheckpoint = (int)Cil.Checkpoints;
        chunks?.Unlinked(file, (int)Cil.Checkpoints);
        if (records[file].DentrySlab >= 0)
            DentryLruAdd(file);
        TagReclaimable(file);
    }

    /// <summary>xfs_inode_set_reclaim_tag: the inode joins the reclaimable ones (FIFO for the background worker, and tagged for the shrinker's walk with xfs-log-force).</summary>
    void TagReclaimable(int file)
    {
        records[file].State = FileCacheState.XfsReclaimable;
        Reclaimable.AddTail(InodeListLinks, file);
        inodeReclaim?.Tag(file);
    }

    void UntagReclaimable(int file)
    {
        Reclaimable.Remove(InodeListLinks, file);
        inodeReclaim?.Untag(file);
    }

    void FreeDentry(int file)
    {
        // d_free: a dentry that was hashed goes through call_rcu, and __d_free then frees its name.
        if (records[file].DentrySlab >= 0)
        {
            k.Rcu.Free(records[file].DentrySlab);
            records[file].DentrySlab = -1;
        }
        if (records[file].NameSlab >= 0)
        {
            k.Rcu.Free(records[file].NameSlab);
            records[file].NameSlab = -1;
        }
    }

    /// <summary>
    /// shrink_dcache_parent, which vfs_rmdir calls before XFS removes the directory: rm -rf has
    /// emptied it, and the directory's unused children, the negative dentries its unlinks left, are
    /// freed with their names. This is the VFS freeing them itself, whatever the allocation context,
    /// not a shrinker. Files <paramref name="first"/> to <paramref name="end"/> (exclusive) are the
    /// directory's. Returns the dentries freed.
    /// </summary>
    public long ShrinkDcacheParent(long first, long end)
    {
        long freed = 0;
        for (long f = first; f < end; f++)
        {
            int file = (int)f;
            if (!records[file].Unlinked || records[file].DentrySlab < 0)
                continue;
            DentryLruDel(file);
            FreeDentry(file);
            freed++;
        }
        k.Cpu.Charge(Symbol.ShrinkDcacheParent, freed * k.Scenario.CostSlabObjectNs);
        return freed;
    }

    /// <summary>
    /// prune_dcache_sb: free the oldest unused dentries on the node's list. A positive one's inode goes
    /// to the inode LRU of its own node; a negative one leaves nothing behind.
    /// </summary>
    public long PruneDcache(long nr, int nid)
    {
        if (dentryOnLru is not null)
            return PruneDcacheLazy(nr, nid);
        long freed = 0;
        ref var lru = ref DentryLru[nid];
        while (freed < nr && lru.Head >= 0)
        {
            int file = lru.Head;
            lru.Remove(DentryLruLinks, file);
            KillDentry(file);
            freed++;
        }
        return freed;
    }

    /// <summary>
    /// prune_dcache_sb with vfs-lazy-lru: list_lru_walk_node over <paramref name="nr"/> entries from
    /// the oldest, each counting whatever dentry_lru_isolate does with it: a dentry in use comes off
    /// the list, a referenced one loses the bit and goes to the young end, the rest are freed.
    /// </summary>
    long PruneDcacheLazy(long nr, int nid)
    {
        long freed = 0;
        ref var lru = ref DentryLru[nid];
        for (long walked = 0; walked < nr && lru.Head >= 0; walked++)
        {
            int file = lru.Head;
            lru.Remove(DentryLruLinks, file);
            bool inUse = records[file].State == FileCacheState.DentryInUse;
            if (!inUse && dentryReferenced![file])
            {
                dentryReferenced[file] = false;
                lru.AddTail(DentryLruLinks, file);
                continue;
            }
            dentryOnLru![file] = false;
            if (inUse)
                continue;
            KillDentry(file);
            freed++;
        }
        return freed;
    }

    /// <summary>
    /// dentry_kill of an unused dentry off the LRU: it is freed with its name, and a positive one's
    /// inode goes to the inode LRU of its own node (dentry_iput → iput_final, which marks it
    /// I_REFERENCED with vfs-lazy-lru); a negative one leaves nothing behind.
    /// </summary>
    void KillDentry(int file)
    {
        FreeDentry(file);
        if (records[file].Unlinked)
            return;
        records[file].State = FileCacheState.InodeLru;
        InodeLru[InodeNode(file)].AddTail(InodeListLinks, file);
        if (inodeReferenced is not null)
            inodeReferenced[file] = true;
    }

    /// <summary>prune_icache_sb: evict the oldest unused inodes on the node's list; XFS marks them reclaimable.</summary>
    public long PruneIcache(long nr, int nid)
    {
        long done = 0;
        ref var lru = ref InodeLru[nid];
        while (done < nr && lru.Head >= 0)
        {
            int file = lru.Head;
            lru.Remove(InodeListLinks, file);
            done++;
            // inode_lru_isolate with vfs-lazy-lru: a recently referenced inode gets one more pass.
            if (inodeReferenced is not null && inodeReferenced[file])
            {
                inodeReferenced[file] = false;
                lru.AddTail(InodeListLinks, file);
                continue;
            }
            TagReclaimable(file);
        }
        return 0; // evicting frees no object yet; XFS frees the inode later
    }

    /// <summary>
    /// The background xfs_reclaim_worker (xfs_reclaim_inodes with SYNC_TRYLOCK): frees reclaimable
    /// inodes from the oldest, stopping at the first unlinked one still pinned by a checkpoint that has
    /// not been written (every one unlinked after it is pinned too) and passing over unlinked ones
    /// that are still dirty. Without xfs-stale-inodes, an unpinned one is dirty until the AIL wrote
    /// its checkpoint back, which comes in checkpoint order, so the walk stops there too.
    /// </summary>
    public long BackgroundReclaim()
    {
        long freed = 0;
        int file = Reclaimable.Head;
        while (file >= 0)
        {
            int following = records[file].Next;
            if (records[file].Unlinked && !Clean(file))
            {
                if (chunks is null || Pinned(file))
                    break;
                file = following;
                continue;
            }
            FreeReclaimable(file);
            freed++;
            file = following;
        }
        return freed;
    }

    /// <summary>
    /// Whether an unlinked inode can be freed without writing it back. With xfs-stale-inodes (3.13):
    /// once its chunk is freed and the checkpoint that freed it is written. Freeing a chunk's last
    /// inode frees the chunk (xfs_difree), xfs_ifree_cluster marks every cached inode of it
    /// XFS_ISTALE, and xfs_reclaim_inode frees a stale inode as soon as it is unpinned; an rm -rf
    /// removes a directory's files in order, so each chunk is freed within 64 unlinks. Without it:
    /// once the AIL wrote back the checkpoint of its unlink (the scenario's ail-writeback-delay).
    /// </summary>
    bool Clean(int file) => chunks is null
        ? records[file].UnlinkCheckpoint < Cil.CleanCheckpoints
        : chunks.FreedIn(file) is int checkpoint && checkpoint < Cil.Checkpoints;

    /// <summary>
    /// xfs_ifree_cluster takes the flush lock of every inode of the chunk it frees and hands it to the
    /// stale cluster buffer, which lets go when that checkpoint is written: until then a stale inode
    /// is flush-locked (scenario xfs-stale-inodes only).
    /// </summary>
    bool FlushLocked(int file) =>
        chunks is not null && records[file].Unlinked && chunks.FreedIn(file) is int checkpoint && checkpoint >= Cil.Checkpoints;

    /// <summary>An unlinked inode whose unlink is in a checkpoint not yet pushed is pinned in the log.</summary>
    bool Pinned(int file) => records[file].Unlinked && records[file].UnlinkCheckpoint >= Cil.Checkpoints;

    /// <summary>
    /// xfs_reclaim_inodes_nr(SYNC_TRYLOCK | SYNC_WAIT), the superblock shrinker's XFS part: up to
    /// <paramref name="nr"/> reclaimable inodes walked AG by AG in inode-number order (see
    /// <see cref="InodeReclaim"/>); the caller may sleep on a log force. With the scenario's
    /// xfs-log-force off, the oldest reclaimable inodes instead, without waiting.
    /// </summary>
    public long ReclaimInodes(long nr)
    {
        if (inodeReclaim is null)
            return ReclaimOldest(nr);
        Cil.AilPushAll();
        return inodeReclaim.Walk(nr, Pinned, FlushLocked, FreeReclaimable, Cil);
    }

    /// <summary>
    /// The shipped model's simplification of the shrinker's inode reclaim (scenario xfs-log-force
    /// off): the oldest reclaimable inodes are freed, pinned or not, and nobody waits on the log.
    /// </summary>
    long ReclaimOldest(long nr)
    {
        long freed = 0;
        while (freed < nr && Reclaimable.Head >= 0)
        {
            FreeReclaimable(Reclaimable.Head);
            freed++;
        }
        return freed;
    }

    void FreeReclaimable(int file)
    {
        UntagReclaimable(file);
        k.Rcu.Free(records[file].InodeSlab); // xfs_inode_free: call_rcu(xfs_inode_free_callback)
        records[file].InodeSlab = -1;
        records[file].State = records[file].Unlinked ? FileCacheState.Gone : FileCacheState.OnDisk;
    }
}
