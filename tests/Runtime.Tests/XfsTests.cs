using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

public class XfsTests
{
    static (Kernel K, XfsMount Xfs) Lookup(params int[] files)
    {
        var k = TestMachine.Kernel();
        foreach (int file in files)
            TestMachine.LookUp(k, file);
        return (k, k.Xfs);
    }

    [Fact]
    public void Unlink_leaves_a_negative_dentry_and_its_name_on_the_dentry_lru()
    {
        var (k, xfs) = Lookup(7);
        long dentries = k.Slab.Dentry.ActiveObjects;
        xfs.Unlink(7);
        Assert.Equal(dentries, k.Slab.Dentry.ActiveObjects);
        Assert.True(xfs.FileOf(7).DentrySlab >= 0 && xfs.FileOf(7).NameSlab >= 0);
        Assert.Equal(1, xfs.DentryLruCount);
        Assert.Equal(1, xfs.Reclaimable.Count);
        Assert.Equal(FileCacheState.XfsReclaimable, xfs.FileOf(7).State);
    }

    [Fact]
    public void Pruning_a_negative_dentry_frees_it_and_leaves_the_inode_where_it_was()
    {
        var (k, xfs) = Lookup(3, 4);
        xfs.Unlink(3);  // negative dentry, inode reclaimable
        xfs.Unpin(4);   // positive unused dentry, pinning its inode
        Assert.Equal(2, xfs.PruneDcache(2, nid: 0));
        Assert.True(xfs.FileOf(3).DentrySlab < 0 && xfs.FileOf(3).NameSlab < 0 && xfs.FileOf(4).DentrySlab < 0);
        Assert.Equal(0, k.Slab.Dentry.ActiveObjects);
        Assert.Equal(1, xfs.InodeLruCount);           // only the positive dentry's inode moved there
        Assert.Equal(FileCacheState.InodeLru, xfs.FileOf(4).State);
        Assert.Equal(FileCacheState.XfsReclaimable, xfs.FileOf(3).State);
        Assert.Equal(1, xfs.Reclaimable.Count);
    }

    [Theory]
    [InlineData(40, 1638, 511)]  // the shipped calibration: a 24- to 29-character name
    [InlineData(56, 1170, 511)]  // a 40-character name: xfs_dir3_data_entsize(40) = 8 + 1 + 40 + 2, rounded up to 8
    public void A_directory_block_holds_as_many_entries_as_their_size_allows(int direntBytes, long entries, int lastChunk)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("dirent-bytes", direntBytes.ToString()));
        var cil = k.Xfs.Cil;
        Assert.Equal(entries, cil.EntriesPerBlock);
        // Removing the block's last entry dirties its last 128-byte chunk (and the header's).
        var item = cil.NewItem();
        cil.DirtyEntry(item, blockId: 0, entries - 1);
        Assert.Equal(64 + 2 * Cil.ChunkBytes, cil.LvBytes(item));
        Assert.NotEqual(0UL, item.Dirty[lastChunk / 64] & (1UL << (lastChunk % 64)));
    }

    [Fact]
    public void The_ail_writes_back_a_checkpoint_once_pushed_and_its_delay_has_passed_to_the_nanosecond()
    {
        // xfsaild writes back only up to the target of the last xfs_ail_push_all, and a
        // checkpoint's metadata is clean once ail-writeback-delay has passed since it reached the log.
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("ail-writeback-delay", "2s"));
        var cil = k.Xfs.Cil;
        const long second = 1_000_000_000;
        cil.PushedAt.Add(1 * second);
        cil.PushedAt.Add(2 * second);

        cil.AdvanceAil(10 * second);
        Assert.Equal(0, cil.CleanCheckpoints); // nobody pushed the AIL

        cil.AilPushAll();
        cil.PushedAt.Add(3 * second); // a checkpoint after the push is beyond the target
        cil.AdvanceAil(3 * second - 1);
        Assert.Equal(0, cil.CleanCheckpoints);
        cil.AdvanceAil(3 * second);
        Assert.Equal(1, cil.CleanCheckpoints);
        cil.AdvanceAil(10 * second);
        Assert.Equal(2, cil.CleanCheckpoints);
    }
}
