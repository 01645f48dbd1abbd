using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

/// <summary>
/// XFS's directory data blocks in the buffer cache (scenario xfs-dir-buffers): a 64 KiB block is
/// sixteen order-0 pages, held by the log while logged, on the buftarg LRU once written back, and
/// freed without the LRU once the rm has emptied it and its checkpoint is written.
/// </summary>
public class XfsDirBuffersTests
{
    const int PagesPerBlock = 64 * 1024 / 4096;

    static Kernel Machine(bool clusters = false) => TestMachine.Kernel(TestMachine.Tiny()
        .WithOverride("files", "8192")
        .WithOverride("dir-block", "64k")
        .WithOverride("xfs-dir-buffers", "on")
        .WithOverride("xfs-buffer-cache", clusters ? "on" : "off"));

    static void LogBlock(Kernel k, long block)
    {
        var attempt = new AllocAttempt();
        Assert.Equal(0, k.Xfs.Buffers!.LogDirBlock(block, ref attempt));
    }

    [Fact]
    public void The_shipped_scenarios_keep_no_directory_buffers()
    {
        Assert.False(BuiltinScenarios.Seed.XfsDirBuffers);
        Assert.False(BuiltinScenarios.Small.XfsDirBuffers);
    }

    [Fact]
    public void Logging_a_directory_block_reads_it_into_order_0_pages_that_the_log_holds()
    {
        var k = Machine();
        var buffers = k.Xfs.Buffers!;
        long free = k.FreePages;
        LogBlock(k, 0);
        LogBlock(k, 0); // the same block again: already cached, already logged in this checkpoint
        Assert.Equal(1, buffers.Cached);
        Assert.Equal(1, buffers.DirCached);
        Assert.Equal(PagesPerBlock, buffers.PagesHeld);
        Assert.Equal(free - PagesPerBlock, k.FreePages);
        Assert.Equal(0, buffers.OnLru);
        buffers.WriteBackAll();
        Assert.Equal(1, buffers.OnLru);
        Invariants.Check(k);
    }

    [Fact]
    public void An_emptied_block_is_freed_once_its_checkpoint_is_written_and_never_reaches_the_lru()
    {
        var k = Machine();
        var buffers = k.Xfs.Buffers!;
        long free = k.FreePages;
        LogBlock(k, 0);
        buffers.StaleDirBlock(0);
        buffers.WriteBackAll(); // a stale buffer is not released to the LRU
        Assert.Equal(0, buffers.OnLru);
        Assert.Equal(1, buffers.Cached); // pinned until the checkpoint that invalidated it is written
        k.Xfs.Cil.ForceOrSleep(XfsWaitChannels.LogForce); // no commit in progress: pushed at once
        Assert.Equal(0, buffers.Cached);
        Assert.Equal(1, buffers.StaleFreed);
        Assert.Equal(0, buffers.BuffersFreed);
        Assert.Equal(free, k.FreePages);
        Invariants.Check(k);
    }

    [Fact]
    public void Cluster_and_directory_buffers_share_the_buftarg_lru_and_its_shrinker()
    {
        var k = Machine(clusters: true);
        var buffers = k.Xfs.Buffers!;
        var attempt = new AllocAttempt();
        Assert.Equal(0, buffers.LogClusterOf(0, ref attempt));
        LogBlock(k, 0);
        Assert.Equal(XfsBufCache.PagesPerClusterBuffer + PagesPerBlock, buffers.PagesHeld);
        buffers.WriteBackAll();
        Assert.Equal(2, buffers.OnLru);
        Assert.Equal(0, buffers.Shrink(2, 0)); // each goes round the LRU once more
        Assert.Equal(2, buffers.Shrink(2, 0));
        Assert.Equal(0, buffers.PagesHeld);
        Invariants.Check(k);
    }

    [Fact]
    public void The_rm_frees_every_block_it_empties_and_a_run_reports_them_only_with_the_switch()
    {
        // Enough memory for the rm to finish: a stuck CIL writes no checkpoint, and frees no stale buffer.
        var scenario = BuiltinScenarios.Small.WithOverride("mem", "1G").WithOverride("duration", "30s");
        var with = Simulation.Run(Linux313Handwritten.Build(), scenario.WithOverride("xfs-dir-buffers", "on"), new RunOptions());
        Assert.Equal(scenario.Files, with.Progress.FilesRemoved);
        var end = with.End.XfsBuffers!;
        Assert.Equal(end.Buffers, end.DirBlocks);
        Assert.Equal(end.Buffers * PagesPerBlock * 4, end.SizeKb);
        Assert.Equal(end.Buffers, end.HeldByLog + end.OnLru);
        // Every block of every directory was emptied: freed, or still pinned by the checkpoint that
        // freed it (held by the log). A 64 KiB block holds 1,638 names of 40 bytes.
        long entriesPerBlock = 64 * 1024 / scenario.DirentBytes;
        long blocks = scenario.Files / scenario.FilesPerDirectory * ((scenario.FilesPerDirectory + entriesPerBlock - 1) / entriesPerBlock);
        Assert.Equal(blocks, end.StaleFreed + end.HeldByLog);
        Assert.Equal(0, end.OnLru);

        var without = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions());
        Assert.Null(without.End.XfsBuffers);
    }

    [Fact]
    public void With_the_set_up_written_back_as_it_goes_reclaim_frees_directory_buffers_while_the_tree_is_built()
    {
        // 4 KiB blocks of 102 names: 6,304 one-page buffers for twice the small tree, which overflows
        // its RAM while it is built.
        var scenario = BuiltinScenarios.Small
            .WithOverride("files", "640000")
            .WithOverride("dir-block", "4k")
            .WithOverride("xfs-dir-buffers", "on")
            .WithOverride("duration", "10ms");
        long blocks = scenario.Files / scenario.FilesPerDirectory * ((scenario.FilesPerDirectory + 101) / 102);
        var atEnd = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions());
        var asItGoes = Simulation.Run(Linux313Handwritten.Build(), scenario.WithOverride("setup-writeback", "on"), new RunOptions());
        // Written back only when the set-up ends, every block is still cached when the rm starts.
        Assert.Equal(blocks, atEnd.End.XfsBuffers!.Buffers);
        long cached = asItGoes.End.XfsBuffers!.Buffers;
        Assert.True(cached < blocks / 2, $"{cached} of {blocks} directory buffers cached when the rm starts");
    }

    [Fact]
    public void With_both_kinds_of_buffer_and_the_set_up_writeback_a_run_keeps_its_invariants_and_repeats_exactly()
    {
        // Buffers read, logged, written back, shrunk and invalidated all through a run: the pages
        // they hold stay accounted for at every sample, and a second run is the same run.
        var scenario = BuiltinScenarios.Small
            .WithOverride("xfs-buffer-cache", "on")
            .WithOverride("xfs-dir-buffers", "on")
            .WithOverride("setup-writeback", "on")
            .WithOverride("drop-caches-at", "60s")
            .WithOverride("duration", "90s");
        var run = TestMachine.RunTwiceAlike(scenario);
        Assert.True(run.End.XfsBuffers!.StaleFreed > 0, "the rm emptied and freed directory blocks");
    }
}
