namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Everything a run needs besides the policy: the machine, the XFS tree, the workload, operator events,
/// and the calibrated cost constants. Sizes are bytes, times are nanoseconds of virtual time. Each
/// calibrated knob says what it was calibrated against.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    /// <summary>The built-in scenario this one starts from (a file's <c>base</c>, or itself).</summary>
    public required string Base { get; init; }
    /// <summary>
    /// Every field set on top of <see cref="Base"/>, as <c>key=value</c> in the order applied (a
    /// scenario file's entries, then the command line's): with the base and the seed, what a run needs to be
    /// made again. Run reports carry it.
    /// </summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    // ---- the machine ----
    /// <summary>RAM the kernel manages (MemTotal).</summary>
    public long MemBytes { get; init; }
    /// <summary>Usable size of the one swap device (SwapTotal, as free shows it); the device holds one more page, its header.</summary>
    public long SwapBytes { get; init; }
    public int Cpus { get; init; }
    /// <summary>
    /// Top of ZONE_DMA32 as RAM below the 4 GiB boundary: a VM with more than 4 GiB loses about 1 GiB of
    /// it to the PCI hole, so DMA32 holds 3 GiB and the rest is ZONE_NORMAL.
    /// </summary>
    public long Dma32Bytes { get; init; } = 3L << 30;
    /// <summary>
    /// NUMA nodes, each an equal share of RAM in address order (as QEMU's <c>-numa</c> and
    /// <c>numa=fake</c> split it); node 0 holds ZONE_DMA and ZONE_DMA32. CPUs are dealt to nodes
    /// round robin. Each node has its own zones, kswapd and per-node shrinker work.
    /// </summary>
    public int Nodes { get; init; } = 1;
    /// <summary>vm.min_free_kbytes in bytes; null derives it as the kernel does (sqrt(lowmem_kbytes * 16)).</summary>
    public long? MinFreeBytes { get; init; }
    public int Swappiness { get; init; } = 60;
    public int VfsCachePressure { get; init; } = 100;
    public int ExtfragThreshold { get; init; } = 500;
    /// <summary>
    /// vm.page_cluster: a swap fault reads the 2^page_cluster-slot aligned window around the slot it
    /// needs (swapin_readahead), each in-use slot of it into a new swap-cache page. 3.13 sets 3 on any
    /// machine above 16 MiB; the built-in scenarios keep 0 (no readahead), which their figures were
    /// measured with.
    /// </summary>
    public int PageCluster { get; init; }
    /// <summary>Pages the kernel itself holds from boot (text, page tables, struct page): not reclaimable.</summary>
    public long KernelReservedBytes { get; init; }

    // ---- the XFS tree and the workload ----
    /// <summary>Concurrent rm -rf workers.</summary>
    public int Workers { get; init; }
    /// <summary>Files in the tree (all removed by the workers).</summary>
    public long Files { get; init; }
    public long FilesPerDirectory { get; init; } = 100_000;
    public long DirBlockBytes { get; init; } = 64 * 1024;
    /// <summary>
    /// Bytes a name's entry takes in a directory data block (xfs_dir3_data_entsize: the inode number,
    /// the name's length and bytes and a tag, rounded up to 8). 40 is a name of 24 to 29 characters,
    /// the shipped calibration; names long enough to live outside the dentry (32 characters or more)
    /// take 48 and up (docs/seed-investigations.md, "Seven more 3.13 rules").
    /// </summary>
    public long DirentBytes { get; init; } = 40;
    /// <summary>
    /// Allocation groups. Each directory's inodes live in one AG, new directories rotating across
    /// them; XFS inode reclaim walks and locks AG by AG.
    /// </summary>
    public int AgCount { get; init; } = 16;
    /// <summary>Share of file names too long for the dentry's inline name, which live in kmalloc-64 (percent).</summary>
    public int LongNamePercent { get; init; } = 100;
    /// <summary>
    /// XLOG_CIL_SPACE_LIMIT: log-vector bytes the CIL may hold before a checkpoint is pushed — an
    /// eighth of the log. The seed's filesystem has the maximum 2 GiB log.
    /// </summary>
    public long CilSpaceLimitBytes { get; init; } = 256L << 20;

    /// <summary>
    /// How long after the AIL is pushed (by the 30 s log worker, or the shrinker's inode reclaim) a
    /// checkpoint's unlinked inodes stay dirty, so that the background reclaim worker cannot free
    /// them, and how long the buffer cache's logged buffers stay dirty. On seed-minimal the value hardly
    /// matters (0 s and 30 s give the same livelock); that the inodes wait for the AIL at all does:
    /// in a tree whose chunks the rm frees whole, 3.13 frees them as soon as the checkpoint is
    /// written (<see cref="XfsStaleInodes"/>). With that switch on and no buffer cache, as on seed,
    /// nothing waits for the AIL and the value has no effect.
    /// </summary>
    public long AilWritebackDelay { get; init; } = 600_000_000_000;

    /// <summary>Log space each transaction adds to the CIL besides its directory block (inode cores, AGI, cluster buffers).</summary>
    public long CilOtherBytesPerCommit { get; init; }

    // ---- fidelity switches: 3.13 mechanisms the shipped model simplifies ----
    // Each is off by default (the simplification, as in small and seed-minimal); the built-in seed
    // turns seven of them on. docs/seed-investigations.md gives what each measured.
    /// <summary>The fair zone allocation policy (3.12): every fast-path allocation round-robin over the zones in batches of HIGH - LOW.</summary>
    public bool FairZonePolicy { get; init; }
    /// <summary>MIGRATE_RESERVE: up to two pageblocks per zone, taken only when every other free list is empty.</summary>
    public bool MigrateReserve { get; init; }
    /// <summary>__free_one_page puts a freed block whose next-higher buddy is free at the tail of its list.</summary>
    public bool BuddyTailMerge { get; init; }
    /// <summary>shrink_page_list counts a mapped or swap-cache page twice in nr_scanned, doubling the slab pressure it causes.</summary>
    public bool DoubleSlabPressure { get; init; }
    /// <summary>get_swap_page with one device scans it twice (its swap_list loop wraps once) before it fails.</summary>
    public bool SwapScanTwice { get; init; }
    /// <summary>
    /// scan_swap_map walks the map without si->lock, as 3.13 does: a scan reads cluster_next when it
    /// starts, sees the takes of scans that finish during its walk, and a failing scan holds
    /// nr_swap_pages one lower until it gives up.
    /// </summary>
    public bool SwapScanUnlocked { get; init; }
    /// <summary>
    /// A swap-in finds its page still in the swap cache when it is there (do_swap_page's
    /// lookup_swap_cache): a page swap readahead brought in, or one reclaim unmapped and is writing or
    /// has written out. The pte is mapped again without a read or a new frame. Off, swap-ins pick only
    /// slots whose page has left the swap cache.
    /// </summary>
    public bool SwapCacheFaults { get; init; }
    /// <summary>
    /// A swapped-in page goes to the inactive anon list with its pte young, where 3.13's
    /// lru_cache_add_anon puts it, and reclaim's next look at it activates it
    /// (page_check_references: PAGEREF_ACTIVATE). Off, it goes straight to the active list.
    /// </summary>
    public bool SwapinInactive { get; init; }
    /// <summary>A directory block's dirty map outlives a CIL push: the next commit formats every chunk dirtied since the worker entered the block.</summary>
    public bool XfsDirtyMapUntilWriteback { get; init; }
    /// <summary>SLUB's node partial lists as 3.13 keeps them: a slab that gets a free object goes to the tail; an emptied slab is freed while more than min_partial slabs are partial.</summary>
    public bool SlubPartialOrder { get; init; }
    /// <summary>shrink_zone's reclaim/compaction loop: a costly-order reclaim goes on until 2 &lt;&lt; order pages are reclaimed or compaction could run.</summary>
    public bool ReclaimCompactionLoop { get; init; }
    /// <summary>
    /// xfs_reclaim_inodes_ag's lookup batches: every AG with reclaimable inodes gets at least one batch
    /// of 32 per shrinker call, and the scan is charged 32 a batch. The model otherwise walks
    /// inode by inode and stops when the scan is spent.
    /// </summary>
    public bool XfsReclaimAgBatch { get; init; }
    /// <summary>
    /// kswapd_try_to_sleep's HZ/10 nap is a wait on kswapd_wait: a wakeup_kswapd cuts it short, and a
    /// nap cut short does not end in sleep. The model otherwise naps the whole 100 ms.
    /// </summary>
    public bool KswapdNapWakeup { get; init; }
    /// <summary>
    /// balance_pgdat's age_active_anon: every zone its search for the highest unbalanced zone
    /// visits, balanced or not, has 32 active anon pages deactivated when inactive anon is low. The
    /// model otherwise ages anon only in a zone it shrinks.
    /// </summary>
    public bool AgeActiveAnon { get; init; }
    /// <summary>
    /// 3.13's pgdat_needs_compaction: kswapd does not compact while a zone up to end_zone passes LOW
    /// at the order. The model otherwise compacts whenever the policy's kswapd.compact says so
    /// (compact_zone itself still returns at once where compaction_suitable says COMPACT_SKIPPED).
    /// </summary>
    public bool KswapdCompactPgdat { get; init; }
    /// <summary>
    /// 3.13's kswapd() loop: the order asked for, the request last taken from kswapd_max_order and
    /// the order balance_pgdat ended at, each with its classzone; a balance_pgdat runs to its end
    /// across simulation steps. The model otherwise keeps one order, the one balance_pgdat returned.
    /// </summary>
    public bool KswapdLoop { get; init; }
    /// <summary>3.13's log-vector reuse: a buffer is reused only for a format that fits the size it was asked for (lv_size).</summary>
    public bool LvExactReuse { get; init; }
    /// <summary>kswapd_shrink_zone's balance test for classzone_idx = end_zone: a lower zone must also keep its lowmem_reserve free.</summary>
    public bool KswapdLowmemReserve { get; init; }
    /// <summary>
    /// XFS's log force behind the CIL context lock (the deadlock b1c5ebb21301 removed): inode reclaim
    /// with __GFP_FS walks the AGs and waits on a pinned inode by forcing the log, whose push waits
    /// for the commits looping in kmem_alloc; the log worker waits too, and new commits queue behind
    /// the waiting push.
    /// </summary>
    public bool XfsLogForce { get; init; }
    /// <summary>
    /// Each unlink (and create) also logs the directory's leaf block that indexes the name: the leaf
    /// entry at the place its hash gives, and the leaf header. The shipped model logs only the data block.
    /// </summary>
    public bool XfsLeafLogging { get; init; }
    /// <summary>SLUB's per-CPU active slabs: objects allocated on one CPU share a slab. The shipped model fills one partial list.</summary>
    public bool SlubCpuSlabs { get; init; }
    /// <summary>
    /// CONFIG_SLUB_CPU_PARTIAL as 3.13 has it: a full slab that gets a free object goes to the freeing
    /// CPU's partial list, which moves to the node lists once it holds more than s->cpu_partial free
    /// objects, and a CPU takes its next slab from that list, last in first out, before the node's.
    /// Needs <see cref="SlubCpuSlabs"/> and <see cref="SlubPartialOrder"/>.
    /// </summary>
    public bool SlubCpuPartial { get; init; }
    /// <summary>
    /// The page allocator's per-CPU page lists (struct per_cpu_pages): order-0 pages are freed to the
    /// freeing CPU's list and allocated from the allocating CPU's, which trades batches of 31 with the
    /// buddy lists; pages on the lists are outside NR_FREE_PAGES and merge only when a list overflows
    /// or direct reclaim drains them all (drain_all_pages). The shipped model frees straight to the
    /// buddy lists.
    /// </summary>
    public bool PcpLists { get; init; }
    /// <summary>
    /// A directory block's log vector as large as 3.13 asks for it: the buffer log format and an iovec
    /// per run of dirty chunks besides the chunks themselves, so a block one chunk short of fully
    /// dirty already needs an order-5 buffer. The shipped model counts 64 bytes and the chunks.
    /// </summary>
    public bool LvFormatSize { get; init; }
    /// <summary>
    /// XFS_ISTALE: an unlinked inode is freeable once its inode chunk is freed and that checkpoint is
    /// written, without waiting for the AIL. Faithful for a tree built directory by directory, whose
    /// chunks the rm frees whole; the shipped model treats every chunk as shared.
    /// </summary>
    public bool XfsStaleInodes { get; init; }
    /// <summary>
    /// XFS's inode cluster buffers in memory: creating or unlinking a file logs its cluster buffer
    /// (two unmovable order-0 pages), and once written back the buftarg shrinker frees it in any
    /// reclaim context. The shipped model has no buffer cache.
    /// </summary>
    public bool XfsBufferCache { get; init; }
    /// <summary>
    /// XFS's directory data blocks in the buffer cache: a directory block's worth of unmovable order-0
    /// pages each, read in (or, for a new block, allocated) by the transaction that logs it, freed by
    /// the buftarg shrinker in any reclaim context once written back, and freed as soon as their
    /// checkpoint is written once the rm's last unlink empties them. The shipped model keeps no
    /// directory buffers.
    /// </summary>
    public bool XfsDirBuffers { get; init; }
    /// <summary>
    /// During the set-up, xfsaild keeps up with the tree's creation: a buffer is written back as soon
    /// as the checkpoint that logged it is written, so reclaim can free clean buffers while the tree
    /// is built. Off by default: the set-up runs in compressed time, and its buffers count as written
    /// back only when it ends. Matters only with xfs-buffer-cache or xfs-dir-buffers.
    /// </summary>
    public bool SetupWriteback { get; init; }
    /// <summary>
    /// The dentry and inode LRUs as 3.13 keeps them (fs/dcache.c, fs/inode.c): lazy and second-chance.
    /// A lookup leaves a dentry where it is on the LRU, dput and iput_final mark it referenced
    /// (DCACHE_REFERENCED, I_REFERENCED) and add it only if it is not there yet, and a prune walks
    /// its count from the oldest end, taking in-use entries off, rotating referenced ones once and
    /// freeing the rest. The shipped model keeps a strict LRU: a lookup takes the dentry off and its
    /// dput or unlink puts it back at the young end.
    /// </summary>
    public bool VfsLazyLru { get; init; }
    /// <summary>
    /// rm -rf removes each directory it has emptied, and vfs_rmdir's shrink_dcache_parent frees the
    /// negative dentries (and names) the directory's unlinks left. Off by default: the shipped model
    /// keeps them on the dentry LRU until a shrinker or drop_caches prunes them.
    /// </summary>
    public bool VfsRmdir { get; init; }

    // ---- the set-up phase ----
    /// <summary>Anonymous memory other processes touch at boot; what does not fit in RAM goes to swap.</summary>
    public long OtherAnonBytes { get; init; }
    /// <summary>Page cache read before the tree is created (cache aging).</summary>
    public long AgingPageCacheBytes { get; init; }
    /// <summary>
    /// Anonymous memory a memory hog tries to touch after boot. It pushes the other processes' idle
    /// anon out until swap is full; asked for more than RAM plus swap, it is then stopped by the OOM
    /// killer, which leaves swap full of the other processes' pages, as in the report.
    /// </summary>
    public long MemoryHogBytes { get; init; }
    /// <summary>
    /// Page cache that stays in use (mapped executables and libraries of running processes): referenced,
    /// so reclaim rotates it. Calibrated against the report's 3184K cached.
    /// </summary>
    public long HotPageCacheBytes { get; init; } = 3 * 1024 * 1024;
    /// <summary>Swapped-out pages other processes touch again after the tree is built (swap-in churn).</summary>
    public long SwapInChurnPages { get; init; }
    /// <summary>
    /// Swapped-out pages other processes touch again each second while the rm runs (a shell, sshd,
    /// the reporter's own free, slabtop and perf). While swap is over half full each swap-in frees
    /// its slot at once, and a slot freed below cluster_next becomes lowest_bit. 0 by default: the
    /// report does not say how busy the rest of the machine was.
    /// </summary>
    public long SwapInPerSecond { get; init; }
    /// <summary>
    /// How long a swap write takes. 3.13's pageout starts the write and leaves the page under
    /// writeback: it stays on the inactive list holding its slot, end_page_writeback rotates it to
    /// the tail, and a later scan frees it. 0 by default: the write is done at once and the page is
    /// freed in the pass that swapped it, as with a synchronous device. The report does not say how
    /// fast the swap was.
    /// </summary>
    public long SwapWriteLatency { get; init; }
    /// <summary>
    /// How long an RCU grace period lasts: an xfs_inode, and a dentry with its external name, are
    /// freed from an RCU callback, so their memory comes back that long after XFS or the VFS lets them
    /// go. 0 by default: freed at once. The report does not say, and it varies with HZ and with how
    /// soon every CPU passes a quiescent state (a few jiffies on a machine whose tasks sleep often).
    /// </summary>
    public long RcuGracePeriod { get; init; }
    /// <summary>
    /// The CPU those swap-ins run on, and so the node whose zones their pages come from first. Null
    /// by default: the task is unbound and runs on CPU (task id mod CPUs) like every unbound task, so
    /// its node follows from how many tasks were made before it (on `seed` with four nodes, node 2).
    /// </summary>
    public int? SwapInCpu { get; init; }

    // ---- operator events and run control ----
    /// <summary>
    /// When the operator logs in to look at the machine, counted from the start of the rm; null (the
    /// default) for no session. The report's free, slabtop and perf top figures were taken during the
    /// livelock, so someone was logged in while it ran; when, and what the session touched, the report
    /// does not say.
    /// </summary>
    public long? SessionAt { get; init; }
    /// <summary>The CPU the session runs on, and so the node whose zones its pages come from first.</summary>
    public int SessionCpu { get; init; }
    /// <summary>
    /// Swapped-out pages the login touches again, one after another (sshd, the shell, the daemons they
    /// wake): each a random page of another process, read back like the rm's background swap-ins.
    /// </summary>
    public long SessionSwapIns { get; init; }
    /// <summary>
    /// Anonymous memory the session's tools fault in after the login and keep until the run ends
    /// (the shell's, free's and slabtop's heaps, perf top's symbol tables and histograms).
    /// </summary>
    public long SessionAnonBytes { get; init; }
    /// <summary>When the operator runs `echo 2 > /proc/sys/vm/drop_caches`, counted from the start of the rm workload.</summary>
    public long? DropCachesAt { get; init; }
    /// <summary>What the operator writes: 1 page cache, 2 slab, 3 both.</summary>
    public int DropCachesMode { get; init; } = 2;
    /// <summary>Virtual time the rm workload may run before the verdict is timeout.</summary>
    public long Duration { get; init; }
    /// <summary>
    /// Virtual time the set-up may take before the run gives up on it (a creation that stalls in its
    /// own commits). Separate from <see cref="Duration"/>, so that a short duration still reaches the rm.
    /// </summary>
    public long SetupLimit { get; init; } = 3600_000_000_000;
    public ulong Seed { get; init; } = 1;
    /// <summary>No workload progress for this long while tasks are runnable is a livelock.</summary>
    public long LivelockWindow { get; init; } = 60_000_000_000;

    // ---- cost model (CPU nanoseconds) ----
    /// <summary>
    /// Cost of one swap_map entry walked by scan_swap_map. Calibrated against the seed's profile:
    /// 44.91% of CPU in scan_swap_map with ~124k entries walked per failed get_swap_page.
    /// </summary>
    public long CostSwapMapEntryNs { get; init; } = 2;
    /// <summary>shrink_page_list per page examined (rmap walk, trylock, putback).</summary>
    public long CostShrinkPageNs { get; init; } = 400;
    /// <summary>isolate_lru_pages / shrink_active_list per page moved.</summary>
    public long CostIsolatePageNs { get; init; } = 60;
    /// <summary>A shrinker's scan_objects per object scanned.</summary>
    public long CostSlabObjectNs { get; init; } = 300;
    /// <summary>shrink_slab per shrinker call (count_objects, list_lru walk set-up).</summary>
    public long CostShrinkerCallNs { get; init; } = 200;
    /// <summary>compact_zone per page frame examined by the migrate and free scanners.</summary>
    public long CostCompactPageNs { get; init; } = 40;
    /// <summary>One pass through __alloc_pages_nodemask's fast path (get_page_from_freelist over the zonelist).</summary>
    public long CostAllocFastNs { get; init; } = 300;
    /// <summary>Entering __alloc_pages_slowpath once (wake_all_kswapd, the MIN-watermark retry, bookkeeping).</summary>
    public long CostAllocSlowNs { get; init; } = 3_000;
    /// <summary>One kmem_alloc retry outside the page allocator (kmalloc entry, the loop, the message check).</summary>
    public long CostKmemRetryNs { get; init; } = 1_000;
    /// <summary>
    /// The workload's own work per file removed (path walk, xfs_remove, the transaction, the CIL insert).
    /// Not calibrated against a real rm: 16 workers remove about 260,000 files a second with it, where
    /// the reporter's own figures for the same benchmark on the same VM (2013, directory block size
    /// not given) come to about 71,000 (docs/reproducing-the-seed.md, "The candidate fixes").
    /// </summary>
    public long CostUnlinkNs { get; init; } = 60_000;
    /// <summary>Creating one file in the set-up phase (xfs_create, its transaction).</summary>
    public long CostCreateNs { get; init; } = 20_000;
}
