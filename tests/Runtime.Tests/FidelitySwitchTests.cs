using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

/// <summary>
/// The scenario's fidelity switches: each turns a simplification of the shipped model into the 3.13
/// mechanism it stands for. Off, the machine behaves as before; on, the mechanism shows.
/// </summary>
public class FidelitySwitchTests
{
    [Theory]
    [InlineData("fair-zone-policy", "on", true)]
    [InlineData("fair_zone_policy", "off", false)]
    [InlineData("lv-exact-reuse", "true", true)]
    [InlineData("kswapd-lowmem-reserve", "yes", true)]
    [InlineData("xfs-log-force", "on", true)]
    [InlineData("xfs-leaf-logging", "on", true)]
    [InlineData("slub-cpu-slabs", "on", true)]
    [InlineData("slub-cpu-partial", "on", true)]
    [InlineData("xfs-stale-inodes", "on", true)]
    [InlineData("xfs-buffer-cache", "on", true)]
    [InlineData("xfs-dir-buffers", "on", true)]
    [InlineData("setup-writeback", "on", true)]
    [InlineData("vfs-lazy-lru", "on", true)]
    [InlineData("vfs-rmdir", "on", true)]
    [InlineData("migrate-reserve", "on", true)]
    [InlineData("buddy-tail-merge", "on", true)]
    [InlineData("double-slab-pressure", "on", true)]
    [InlineData("swap-scan-twice", "on", true)]
    [InlineData("swap-scan-unlocked", "on", true)]
    [InlineData("swap-cache-faults", "on", true)]
    [InlineData("swapin-inactive", "on", true)]
    [InlineData("xfs-dirty-map-until-writeback", "on", true)]
    [InlineData("slub-partial-order", "on", true)]
    [InlineData("reclaim-compaction-loop", "on", true)]
    [InlineData("xfs-reclaim-ag-batch", "on", true)]
    [InlineData("kswapd-nap-wakeup", "on", true)]
    [InlineData("age-active-anon", "on", true)]
    [InlineData("kswapd-compact-pgdat", "on", true)]
    [InlineData("kswapd-loop", "on", true)]
    [InlineData("pcp-lists", "on", true)]
    [InlineData("lv-format-size", "on", true)]
    public void Switches_read_on_and_off(string key, string value, bool expected)
    {
        var s = BuiltinScenarios.Small.WithOverride(key, value);
        bool actual = ScenarioOverrides.NormalizeKey(key) switch
        {
            "fair-zone-policy" => s.FairZonePolicy,
            "lv-exact-reuse" => s.LvExactReuse,
            "xfs-log-force" => s.XfsLogForce,
            "xfs-leaf-logging" => s.XfsLeafLogging,
            "slub-cpu-slabs" => s.SlubCpuSlabs,
            "slub-cpu-partial" => s.SlubCpuPartial,
            "xfs-stale-inodes" => s.XfsStaleInodes,
            "xfs-buffer-cache" => s.XfsBufferCache,
            "xfs-dir-buffers" => s.XfsDirBuffers,
            "setup-writeback" => s.SetupWriteback,
            "vfs-lazy-lru" => s.VfsLazyLru,
            "vfs-rmdir" => s.VfsRmdir,
            "migrate-reserve" => s.MigrateReserve,
            "buddy-tail-merge" => s.BuddyTailMerge,
            "double-slab-pressure" => s.DoubleSlabPressure,
            "swap-scan-twice" => s.SwapScanTwice,
            "swap-scan-unlocked" => s.SwapScanUnlocked,
            "swap-cache-faults" => s.SwapCacheFaults,
            "swapin-inactive" => s.SwapinInactive,
            "xfs-dirty-map-until-writeback" => s.XfsDirtyMapUntilWriteback,
            "slub-partial-order" => s.SlubPartialOrder,
            "reclaim-compaction-loop" => s.ReclaimCompactionLoop,
            "xfs-reclaim-ag-batch" => s.XfsReclaimAgBatch,
            "kswapd-nap-wakeup" => s.KswapdNapWakeup,
            "age-active-anon" => s.AgeActiveAnon,
            "kswapd-compact-pgdat" => s.KswapdCompactPgdat,
            "kswapd-loop" => s.KswapdLoop,
            "pcp-lists" => s.PcpLists,
            "lv-format-size" => s.LvFormatSize,
            _ => s.KswapdLowmemReserve,
        };
        Assert.Equal(expected, actual);
        var e = Assert.Throws<ScenarioException>(() => BuiltinScenarios.Small.WithOverride(key, "maybe"));
        Assert.Contains("is not a switch (on or off)", e.Message);
    }

    /// <summary>Order-0 pages of the given kind from a fresh 64 MiB machine (ZONE_DMA and ZONE_DMA32): how many land in ZONE_DMA.</summary>
    static long PagesInDma(bool fair, Gfp gfp)
    {
        var k = TestMachine.WithSwitch("fair-zone-policy", fair);
        var dma = k.Zones[0];
        long inDma = 0;
        for (int i = 0; i < 4000; i++)
        {
            var attempt = new AllocAttempt();
            int pfn = k.PageAlloc.AllocPages(gfp, 0, PageState.Kernel, -1, ref attempt);
            Assert.True(pfn >= 0);
            if (dma.Contains(pfn))
                inDma++;
        }
        return inDma;
    }

    public static TheoryData<string> AllocationKinds => ["movable", "reclaimable", "unmovable"];

    static Gfp GfpOf(string kind) => kind switch
    {
        "movable" => GfpMasks.GFP_HIGHUSER_MOVABLE,
        "reclaimable" => GfpMasks.GFP_KERNEL | Gfp.RECLAIMABLE, // a SLAB_RECLAIM_ACCOUNT cache's slab
        _ => GfpMasks.GFP_KERNEL,
    };

    [Theory]
    [MemberData(nameof(AllocationKinds))]
    public void The_fair_zone_policy_spreads_every_kind_of_page_over_the_zones_in_proportion_to_their_size(string kind)
    {
        // Off: ZONE_DMA32 first, ZONE_DMA untouched while DMA32 passes its watermark.
        Assert.Equal(0, PagesInDma(fair: false, GfpOf(kind)));
        // On: round-robin in batches of HIGH - LOW, so DMA (a quarter of this machine) takes its
        // share, whatever the page is for: 3.13 applies the policy to every fast-path allocation.
        long share = PagesInDma(fair: true, GfpOf(kind));
        Assert.InRange(share, 4000 / 8, 4000 / 2);
    }

    /// <summary>A directory block item with its first 64 entries removed and its log vector allocated.</summary>
    static (Fs.Xfs.Cil Cil, Fs.Xfs.DirBlockItem Item) FormattedItem(string key, bool on, int entries = 64)
    {
        var cil = TestMachine.WithSwitch(key, on).Xfs.Cil;
        var item = cil.NewItem();
        for (int entry = 0; entry < entries; entry++)
            cil.DirtyEntry(item, blockId: 0, entry);
        var attempt = new AllocAttempt();
        Assert.True(cil.TryFormat(item, false, ref attempt, out _));
        return (cil, item);
    }

    [Fact]
    public void Exact_log_vector_reuse_allocates_again_when_the_format_outgrows_the_size_asked_for()
    {
        foreach (bool exact in new[] { false, true })
        {
            var (cil, item) = FormattedItem("lv-exact-reuse", exact);
            var attempt = new AllocAttempt();
            var first = item.Lv;
            Assert.True(first.Capacity > cil.LvBytes(item), "the allocator rounds the buffer up");

            cil.DirtyEntry(item, blockId: 0, 64); // one more 128-byte chunk
            Assert.True(cil.TryFormat(item, false, ref attempt, out _));
            // lv_size is set only when a buffer is allocated. 3.13: the format no longer fits lv_size,
            // so a new buffer of the new size; simplified: it still fits the rounded-up buffer.
            Assert.Equal(exact ? cil.LvBytes(item) : first.Size, item.Lv.Size);
        }
    }

    [Fact]
    public void With_the_format_size_a_block_one_chunk_short_of_fully_dirty_already_needs_an_order_5_buffer()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("lv-format-size", "on"));
        var cil = k.Xfs.Cil;
        var item = cil.NewItem();
        // Entries 0 to 1,635 of a 64 KiB block of 40-byte entries dirty chunks 0 to 510: one run.
        for (long entry = 0; entry < 1636; entry++)
            cil.DirtyEntry(item, blockId: 0, entry);
        Assert.Equal(511, item.DirtyChunks);
        // The format (20 + 16 words), the chunks, two iovecs' alignment; the log vector and two iovecs.
        Assert.Equal(84 + 511 * 128 + 16 + 4 + 56 + 32, cil.LvBytes(item));
        Assert.True(cil.LvBytes(item) > 64 * 1024, "order 5");
        cil.DirtyEntry(item, blockId: 0, 1637); // the last chunk: still one run
        Assert.Equal(65_728, cil.LvBytes(item));

        // A clean chunk in the middle splits the run: one more iovec of 8 + 16 bytes.
        var gapped = cil.NewItem();
        for (long entry = 0; entry < 1638; entry++)
            if (entry * 40 / 128 != 100)
                cil.DirtyEntry(gapped, blockId: 1, entry);
        Assert.Equal(511, gapped.DirtyChunks);
        Assert.Equal(65_624, cil.LvBytes(gapped));

        // Off, the shipped model's 64 bytes and the chunks: the same block is an order-4 request.
        var shipped = TestMachine.Kernel(TestMachine.Tiny()).Xfs.Cil;
        Assert.Equal(64 + 511 * 128, shipped.LvBytes(gapped));
    }

    [Fact]
    public void A_log_vector_whose_format_fits_the_size_asked_for_exactly_is_reused_either_way()
    {
        foreach (bool exact in new[] { false, true })
        {
            // 256 entries of 40 bytes: a 10,304-byte format, a page allocation whose pfn names the buffer.
            var (cil, item) = FormattedItem("lv-exact-reuse", exact, entries: 256);
            var first = item.Lv;
            Assert.True(first.Pfn >= 0, "a page allocation");
            var attempt = new AllocAttempt();
            Assert.True(cil.TryFormat(item, false, ref attempt, out _));
            Assert.Equal(first.Pfn, item.Lv.Pfn); // the format fits lv_size: no new buffer
        }
    }

    [Fact]
    public void With_the_dirty_map_kept_until_writeback_the_first_log_vector_after_a_push_covers_the_whole_block_so_far()
    {
        foreach (bool kept in new[] { false, true })
        {
            var (cil, item) = FormattedItem("xfs-dirty-map-until-writeback", kept);
            long before = cil.LvBytes(item);
            Assert.True(cil.ForceOrSleep(XfsWaitChannels.LogForce), "no commit in progress: the push runs at once");
            Assert.False(item.Lv.Present);

            cil.DirtyEntry(item, blockId: 0, 64 * 1024 / 40 - 1); // the block's last entry
            // 3.13: the relog formats every chunk dirtied since the worker entered the block; the
            // simplification starts again from the header and the new chunk.
            Assert.Equal(kept ? before + Fs.Xfs.Cil.ChunkBytes : 64 + 2 * Fs.Xfs.Cil.ChunkBytes, cil.LvBytes(item));
        }
    }

    [Fact]
    public void With_the_lowmem_reserve_kswapd_tests_a_lower_zone_for_the_highest_zone_it_balances()
    {
        foreach (bool reserve in new[] { false, true })
        {
            long maxSeen = 0;
            var policy = Linux313Handwritten.Build(b =>
            {
                var original = Linux313Handwritten.Build().KswapdZoneBalanced;
                b.Set(HookId.KswapdZoneBalanced, (PolicyHook<bool>)((in HookContext c) =>
                {
                    maxSeen = Math.Max(maxSeen, c.Zone.LowmemReserve);
                    return original(in c);
                }), new RuleOrigin("test", "test.rpol", 1, 1, "zone_balanced"));
            });
            var scenario = BuiltinScenarios.Small.WithOverride("kswapd-lowmem-reserve", reserve ? "on" : "off").WithOverride("duration", "20s");
            Simulation.Run(policy, scenario, new RunOptions());
            if (reserve)
                Assert.True(maxSeen > 0, "kswapd never tested a lower zone with its reserve");
            else
                Assert.Equal(0, maxSeen);
        }
    }

    [Fact]
    public void With_the_log_force_drop_caches_waits_behind_the_looping_commits()
    {
        // The mechanism b1c5ebb21301 removed: drop_slab's inode reclaim meets an inode pinned in the
        // CIL and forces the log, whose push waits for the commits looping in kmem_alloc.
        var report = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small.WithOverride("xfs-log-force", "on"), new RunOptions());
        Assert.Equal("livelock", report.Verdict);
        Assert.Null(report.Livelock.RecoveredS);
        var drop = Assert.Single(report.Events, e => e.Kind == "operator" && e.Detail.StartsWith("drop_caches"));
        Assert.StartsWith("drop_caches 2: still asleep at the end of the run", drop.Detail);
        Assert.Equal(300.0, drop.AtS, 1);
        // The timeline notes when the drop went to sleep, and no push ever woke it.
        var asleep = Assert.Single(report.Events, e => e.Kind == "note" && e.Detail.StartsWith("drop_caches 2 asleep"));
        Assert.Equal(300.0, asleep.AtS, 1);
        Assert.DoesNotContain(report.Events, e => e.Detail.StartsWith("drop_caches 2 woken"));
        // The note says why: what the drop freed before it slept lets fewer of the looping requests
        // through than there are commits holding up the push.
        var why = System.Text.RegularExpressions.Regex.Match(asleep.Detail, @"the push for (\d+) commits? looping in kmem_alloc, and free memory passes the order-(\d+) MIN test (\d+) times?");
        Assert.True(why.Success, asleep.Detail);
        Assert.True(int.Parse(why.Groups[2].Value) >= 4, asleep.Detail);
        Assert.True(int.Parse(why.Groups[3].Value) < int.Parse(why.Groups[1].Value), asleep.Detail);
        // kswapd met a pinned inode before the onset and sleeps in D state on the same log force
        // all through the livelock: no balance_pgdat run, no wake-up reaches it.
        var kswapd = report.DuringLivelock!.Kswapd;
        Assert.Equal(100, kswapd.DStatePercent);
        Assert.Equal(0, kswapd.AsleepPercent);
        Assert.Equal(0, kswapd.BalanceRuns);
        // Where it sleeps, as /proc/PID/wchan would say: the log force of xfs_iunpin_wait.
        var wait = Assert.Single(kswapd.DStateWaitChannels!);
        Assert.Equal((XfsWaitChannels.LogForceLsn, 100.0), (wait.WaitChannel, wait.Percent));

        // Off, the shipped simplification: the same drop ends the livelock, and never sleeps.
        var shipped = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small, new RunOptions());
        Assert.Equal("drop_caches 2", shipped.Livelock.EndedBy);
        Assert.DoesNotContain(shipped.Events, e => e.Kind == "note" && e.Detail.StartsWith("drop_caches"));
    }

    [Fact]
    public void With_log_vectors_allocated_outside_the_cil_lock_the_log_force_gets_through()
    {
        // b1c5ebb21301 as a rule: the looping commits no longer hold xc_ctx_lock, so the push that
        // kswapd's inode reclaim forces goes ahead, kswapd frees the slab, and the rm completes.
        var policy = Linux313Handwritten.Build(b => b.Set(HookId.XfsLvAllocOutsideCilLock,
            (PolicyHook<bool>)((in HookContext c) => true), new RuleOrigin("test", "test.rpol", 1, 1, "lv_alloc_outside_cil_lock")));
        var scenario = BuiltinScenarios.Small.WithOverride("xfs-log-force", "on");
        var report = Simulation.Run(policy, scenario, new RunOptions { CheckInvariants = true });
        Assert.Equal("completed", report.Verdict);
        Assert.Equal(0, report.Kswapd.DStatePercent);
        Assert.Null(report.Kswapd.DStateWaitChannels);
        Assert.True(report.Kswapd.SlabObjectsFreed > 0);
        Assert.DoesNotContain(report.Events, e => e.Detail.StartsWith("drop_caches"));

        // Without the lock modelled the rule changes nothing: the shipped small run, event for event.
        var shipped = Simulation.Run(Linux313Handwritten.Build(), BuiltinScenarios.Small, new RunOptions());
        var fixedWithoutLock = Simulation.Run(policy, BuiltinScenarios.Small, new RunOptions());
        Assert.Equal(shipped.EventsProcessed, fixedWithoutLock.EventsProcessed);
        Assert.Equal(shipped.Livelock, fixedWithoutLock.Livelock);
    }

    [Fact]
    public void The_rest_of_each_transactions_log_space_brings_the_checkpoints_forward()
    {
        foreach (long other in new long[] { 0, 4096 })
        {
            var scenario = TestMachine.Tiny().WithOverride("cil-other-bytes", other.ToString()).WithOverride("cil-space-limit", "1M");
            var k = TestMachine.Kernel(scenario);
            var cil = k.Xfs.Cil;
            for (int commit = 0; commit < 300; commit++)
                cil.Committed();
            // 300 commits of 4 KiB pass the 1 MiB limit; with nothing logged but the (here empty)
            // directory blocks the CIL never fills.
            Assert.Equal(other == 0 ? 0 : 1, cil.Checkpoints);
        }
    }

    [Fact]
    public void A_leaf_block_is_dirtied_where_the_names_hash_falls()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("files-per-dir", "100k").WithOverride("dir-block", "64k"));
        var cil = k.Xfs.Cil;
        // 8,184 eight-byte entries per 64 KiB leaf, 69% full: 100,000 names need 18 leaves.
        Assert.Equal(18, cil.LeafBlocksPerDirectory);
        var leaf = cil.NewItem();
        cil.DirtyLeafEntry(leaf, blockId: 7, hash: 5000);
        // The header chunk and the chunk of entry 5000 (byte 64 + 40,000).
        Assert.Equal(2, leaf.DirtyChunks);
        Assert.NotEqual(0UL, leaf.Dirty[(64 + 5000 * 8) / 128 / 64] & (1UL << ((64 + 5000 * 8) / 128 % 64)));
        cil.DirtyLeafEntry(leaf, blockId: 7, hash: 5001); // the same chunk
        Assert.Equal(2, leaf.DirtyChunks);
        cil.DirtyLeafEntry(leaf, blockId: 8, hash: 1000); // another leaf block: the item starts over
        Assert.Equal(2, leaf.DirtyChunks);
        Assert.Equal(8, leaf.BlockId);
    }

    [Fact]
    public void With_leaf_logging_a_transaction_formats_its_leaf_block_too()
    {
        foreach (bool leaves in new[] { false, true })
        {
            var k = TestMachine.WithSwitch("xfs-leaf-logging", leaves);
            bool done = false;
            k.Scheduler.Add(new Workload.CreatorTask(k, 0, _ => done = true), 0);
            while (!done && k.Scheduler.RunNext())
            {
            }
            Assert.True(done);
            // One directory of the 1,000 files: its data block, and with leaf logging each of its
            // leaf blocks a name hashed into, all still in the CIL (no checkpoint yet).
            Assert.Equal(0, k.Xfs.Cil.Checkpoints);
            Assert.Equal(leaves ? 1 + k.Xfs.Cil.LeafBlocksPerDirectory : 1, k.Xfs.Cil.LogVectors);
        }
    }

    /// <summary>A task that allocates xfs_inodes one per step, interleaved with the other.</summary>
    sealed class InodeAllocator(Kernel k, List<int> slabs) : Sim.SimTask("alloc")
    {
        public override long Step(long now)
        {
            var attempt = new AllocAttempt();
            slabs.Add(k.Slab.Alloc(k.Slab.XfsInode, GfpMasks.GFP_KERNEL, ref attempt));
            return slabs.Count < 40 ? 1 : Exited;
        }
    }

    [Fact]
    public void With_per_cpu_slabs_objects_allocated_on_different_cpus_do_not_share_a_slab()
    {
        foreach (bool perCpu in new[] { false, true })
        {
            var k = TestMachine.WithSwitch("slub-cpu-slabs", perCpu);
            List<int> a = [], b = [];
            k.Scheduler.Add(new InodeAllocator(k, a), 0);
            k.Scheduler.Add(new InodeAllocator(k, b), 0);
            while (k.Scheduler.RunNext())
            {
            }
            Assert.All(a.Concat(b), slab => Assert.True(slab >= 0));
            bool shared = a.Intersect(b).Any();
            Assert.Equal(!perCpu, shared);
        }
        // The machine's invariants (slab pages, objects and files agree) hold with per-CPU slabs.
        var scenario = BuiltinScenarios.Small.WithOverride("slub-cpu-slabs", "on").WithOverride("duration", "60s");
        Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions { CheckInvariants = true, SampleIntervalS = 5 });
    }

    /// <summary>Files 0 to <paramref name="count"/> - 1 (the first inode chunk holds 0 to 63) looked up and unlinked.</summary>
    static Kernel Unlinked(bool stale, int count, bool logForce = false)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny()
            .WithOverride("xfs-stale-inodes", stale ? "on" : "off")
            .WithOverride("xfs-log-force", logForce ? "on" : "off"));
        for (int file = 0; file < count; file++)
        {
            TestMachine.LookUp(k, file);
            k.Xfs.Unlink(file);
        }
        return k;
    }

    [Fact]
    public void With_stale_inodes_a_freed_chunk_is_reclaimed_once_its_checkpoint_is_written()
    {
        // Pinned in the CIL: nobody may free them yet.
        var k = Unlinked(stale: true, count: Fs.Xfs.InodeChunks.InodesPerChunk);
        Assert.Equal(0, k.Xfs.BackgroundReclaim());
        // The checkpoint is written: the chunk was freed in it, its inodes are stale.
        Assert.True(k.Xfs.Cil.ForceOrSleep(XfsWaitChannels.LogForce));
        Assert.Equal(Fs.Xfs.InodeChunks.InodesPerChunk, k.Xfs.BackgroundReclaim());
        Assert.Equal(0, k.Slab.XfsInode.ActiveObjects);

        // A chunk not wholly freed stays dirty: its inodes wait (for the AIL, or the chunk's last inode).
        var partial = Unlinked(stale: true, count: Fs.Xfs.InodeChunks.InodesPerChunk - 1);
        Assert.True(partial.Xfs.Cil.ForceOrSleep(XfsWaitChannels.LogForce));
        Assert.Equal(0, partial.Xfs.BackgroundReclaim());

        // Off, the shipped model: unlinked inodes wait for the AIL's writeback delay after the checkpoint.
        var shipped = Unlinked(stale: false, count: Fs.Xfs.InodeChunks.InodesPerChunk);
        Assert.True(shipped.Xfs.Cil.ForceOrSleep(XfsWaitChannels.LogForce));
        Assert.Equal(0, shipped.Xfs.BackgroundReclaim());
    }

    [Fact]
    public void With_stale_inodes_the_shrinkers_inode_walk_passes_over_the_flush_locked_ones()
    {
        // One wholly freed chunk (stale, its flush locks held until the checkpoint is written) and
        // three inodes of the next chunk (pinned, not stale).
        int chunk = Fs.Xfs.InodeChunks.InodesPerChunk;
        var k = Unlinked(stale: true, count: chunk + 3, logForce: true);
        long freed = k.Xfs.ReclaimInodes(1000);
        // xfs_reclaim_inode_grab skips the stale ones; the first pinned one after them forces the log.
        Assert.Equal(3, freed);
        Assert.Equal(1, k.Xfs.Cil.Checkpoints);
        Assert.Equal(chunk, k.Xfs.Reclaimable.Count);
        // Written, the stale inodes are no longer flush-locked.
        Assert.Equal(chunk, k.Xfs.ReclaimInodes(1000));

        // Off: the walk forces the log at the first pinned inode and frees them all.
        var shipped = Unlinked(stale: false, count: chunk + 3, logForce: true);
        Assert.Equal(chunk + 3, shipped.Xfs.ReclaimInodes(1000));
    }

    [Theory]
    [InlineData(false, 1, 1)]
    [InlineData(false, 40, 40)]
    // Four AGs of 100 reclaimable inodes: a batch of 32 in each whatever the scan, and AG 0 goes on
    // while scan is left after its batch (40 - 32 = 8, so a second batch).
    [InlineData(true, 1, 4 * 32)]
    [InlineData(true, 40, 2 * 32 + 3 * 32)]
    [InlineData(true, 1000, 400)]
    public void With_ag_batches_the_shrinkers_inode_walk_takes_a_batch_in_every_ag(bool agBatch, long nrToScan, long expected)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny()
            .WithOverride("files-per-dir", "100")
            .WithOverride("ag-count", "4")
            .WithOverride("xfs-log-force", "on")
            .WithOverride("xfs-reclaim-ag-batch", agBatch ? "on" : "off"));
        // Directories 0 to 3, one per AG, unlinked and their checkpoint written: nothing is pinned.
        for (int file = 0; file < 400; file++)
        {
            TestMachine.LookUp(k, file);
            k.Xfs.Unlink(file);
        }
        Assert.True(k.Xfs.Cil.ForceOrSleep(XfsWaitChannels.LogForce));
        Assert.Equal(400, k.Xfs.Reclaimable.Count);

        Assert.Equal(expected, k.Xfs.ReclaimInodes(nrToScan));
        Assert.Equal(400 - expected, k.Xfs.Reclaimable.Count);
    }

    [Fact]
    public void With_the_inode_batches_and_the_nap_wakeup_a_run_keeps_its_invariants_and_repeats_exactly()
    {
        // The nap becomes a timer task and the inode walk runs whole batches: a full run with both
        // (and the log force, which the walk sleeps on) keeps the machine consistent at every
        // sample, and a second run is the same run.
        var scenario = BuiltinScenarios.Small
            .WithOverride("xfs-log-force", "on")
            .WithOverride("xfs-reclaim-ag-batch", "on")
            .WithOverride("kswapd-nap-wakeup", "on")
            .WithOverride("duration", "120s");
        var run = TestMachine.RunTwiceAlike(scenario);
        Assert.True(run.Kswapd.SlabObjectsFreed > 0);
    }

    /// <summary>
    /// With leaf logging a transaction formats two log vectors, the data block's and the leaf's, each
    /// its own kmem_alloc. A policy that lets every retry of a buffer over 4 KiB fall back to order-0
    /// pages (fix-xfs-kmem-large) must be asked with the size of the buffer that failed, so that no
    /// commit retries more than once. Asked with the data block's size only, a leaf vector that
    /// failed while its data block's vector was small looped.
    /// </summary>
    [Fact]
    public void With_leaf_logging_each_log_vector_buffer_is_judged_by_its_own_size()
    {
        long maxRetries = 0, asked = 0;
        var policy = Tests.Policies.Linux313Handwritten.Build(b => b.Set(HookId.XfsKmemFallbackOrder0,
            (PolicyHook<bool>)((in HookContext c) =>
            {
                asked++;
                maxRetries = Math.Max(maxRetries, c.Request.Retries);
                return c.Request.Size > 4096;
            })));
        var scenario = BuiltinScenarios.Small.WithOverride("xfs-leaf-logging", "on").WithOverride("duration", "30s");
        var report = Simulation.Run(policy, scenario, new RunOptions());
        Assert.True(asked > 0, "no log-vector allocation was retried");
        Assert.Equal(1, maxRetries);
        Assert.NotEqual("livelock", report.Verdict);
    }
}
