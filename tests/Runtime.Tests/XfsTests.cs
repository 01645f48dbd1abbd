using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;

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
        Assert.True(xfs.DentrySlab[7] >= 0 && xfs.NameSlab[7] >= 0);
        Assert.Equal(1, xfs.DentryLruCount);
        Assert.Equal(1, xfs.Reclaimable.Count);
        Assert.Equal(FileCacheState.XfsReclaimable, xfs.State[7]);
    }

    [Fact]
    public void Pruning_a_negative_dentry_frees_it_and_leaves_the_inode_where_it_was()
    {
        var (k, xfs) = Lookup(3, 4);
        xfs.Unlink(3);  // negative dentry, inode reclaimable
        xfs.Unpin(4);   // positive unused dentry, pinning its inode
        Assert.Equal(2, xfs.PruneDcache(2, nid: 0));
        Assert.True(xfs.DentrySlab[3] < 0 && xfs.NameSlab[3] < 0 && xfs.DentrySlab[4] < 0);
        Assert.Equal(0, k.Slab.Dentry.ActiveObjects);
        Assert.Equal(1, xfs.InodeLruCount);           // only the positive dentry's inode moved there
        Assert.Equal(FileCacheState.InodeLru, xfs.State[4]);
        Assert.Equal(FileCacheState.XfsReclaimable, xfs.State[3]);
        Assert.Equal(1, xfs.Reclaimable.Count);
    }
}
