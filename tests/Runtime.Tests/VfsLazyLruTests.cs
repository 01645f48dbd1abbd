using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

/// <summary>
/// 3.13's lazy, second-chance dentry and inode LRUs (scenario vfs-lazy-lru): a lookup leaves the
/// dentry where it is, dput and unlink mark it referenced, and a prune walks its count from the
/// oldest end, rotating referenced entries once.
/// </summary>
public class VfsLazyLruTests
{
    static Kernel Machine(bool lazy) =>
        TestMachine.Kernel(TestMachine.Tiny().WithOverride("files", "64").WithOverride("vfs-lazy-lru", lazy ? "on" : "off"));

    /// <summary>Creates files 0..n-1 in order: each is looked up and put, so each is on the dentry LRU, oldest first.</summary>
    static XfsMount Created(Kernel k, int n)
    {
        for (int file = 0; file < n; file++)
        {
            TestMachine.LookUp(k, file);
            k.Xfs.Unpin(file);
        }
        return k.Xfs;
    }

    [Fact]
    public void The_shipped_scenarios_keep_a_strict_lru()
    {
        Assert.False(BuiltinScenarios.Seed.VfsLazyLru);
        Assert.False(BuiltinScenarios.Small.VfsLazyLru);
    }

    [Fact]
    public void An_unlinked_file_keeps_its_place_on_the_lazy_lru_and_moves_to_the_young_end_on_the_strict_one()
    {
        foreach (bool lazy in new[] { true, false })
        {
            var k = Machine(lazy);
            var xfs = Created(k, 3);
            TestMachine.LookUp(k, 0); // the rm reaches the oldest file
            xfs.Unlink(0);
            Assert.Equal(lazy ? [0, 1, 2] : [1, 2, 0], xfs.DentryLruFiles(0).ToArray());
            Invariants.Check(k);
        }
    }

    [Fact]
    public void A_prune_gives_each_referenced_dentry_a_second_pass_and_counts_it_against_its_walk()
    {
        var k = Machine(lazy: true);
        var xfs = Created(k, 4);
        // Every dentry was put once, so the first walk of 4 only clears the bits and rotates them.
        Assert.Equal(0, xfs.PruneDcache(4, nid: 0));
        Assert.Equal([0, 1, 2, 3], xfs.DentryLruFiles(0).ToArray());
        Assert.Equal(2, xfs.PruneDcache(2, nid: 0));
        Assert.Equal([2, 3], xfs.DentryLruFiles(0).ToArray());
        // The freed dentries' inodes went to the inode LRU, referenced by iput_final: one more pass there too.
        Assert.Equal(2, xfs.InodeLruCount);
        xfs.PruneIcache(2, nid: 0);
        Assert.Equal(2, xfs.InodeLruCount);
        xfs.PruneIcache(2, nid: 0);
        Assert.Equal(0, xfs.InodeLruCount);
        Invariants.Check(k);
    }

    [Fact]
    public void A_prune_takes_a_dentry_in_use_off_the_list_without_freeing_it_and_its_dput_puts_it_back()
    {
        var k = Machine(lazy: true);
        var xfs = Created(k, 2);
        xfs.PruneDcache(2, nid: 0); // clear the referenced bits
        TestMachine.LookUp(k, 0);   // in use, still on the list
        Assert.Equal([0, 1], xfs.DentryLruFiles(0).ToArray());
        Assert.Equal(1, xfs.PruneDcache(2, nid: 0));
        Assert.Equal(FileCacheState.DentryInUse, xfs.FileOf(0).State);
        Assert.True(xfs.FileOf(0).DentrySlab >= 0);
        Assert.Empty(xfs.DentryLruFiles(0));
        xfs.Unpin(0);
        Assert.Equal([0], xfs.DentryLruFiles(0).ToArray());
        Invariants.Check(k);
    }
}
