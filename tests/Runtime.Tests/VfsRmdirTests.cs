using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

/// <summary>
/// rm -rf's rmdir (scenario vfs-rmdir): vfs_rmdir's shrink_dcache_parent frees the negative dentries
/// the emptied directory's unlinks left, and nothing else.
/// </summary>
public class VfsRmdirTests
{
    [Fact]
    public void Only_the_seed_frees_the_negative_dentries_at_rmdir()
    {
        Assert.True(BuiltinScenarios.Seed.VfsRmdir);
        Assert.False(BuiltinScenarios.SeedMinimal.VfsRmdir);
        Assert.False(BuiltinScenarios.Small.VfsRmdir);
    }

    [Fact]
    public void Shrink_dcache_parent_frees_the_directorys_negative_dentries_and_leaves_the_rest()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("files", "64"));
        var xfs = k.Xfs;
        for (int file = 0; file < 8; file++)
        {
            TestMachine.LookUp(k, file);
            xfs.Unpin(file);
        }
        for (int file = 0; file < 4; file++)
        {
            TestMachine.LookUp(k, file);
            xfs.Unlink(file);
        }
        TestMachine.LookUp(k, 7); // in use while the directory below is removed
        long dentries = k.Slab.Dentry.ActiveObjects;

        // The directory holds files 0 to 5: the four unlinked ones go; 4 and 5 are positive (rm -rf
        // would have removed them first, but the walk must not free a live name), 6 and 7 are elsewhere.
        Assert.Equal(4, xfs.ShrinkDcacheParent(0, 6));
        Assert.Equal(dentries - 4, k.Slab.Dentry.ActiveObjects);
        Assert.Equal([4, 5, 6], xfs.DentryLruFiles(0).ToArray());
        for (int file = 0; file < 4; file++)
        {
            Assert.Equal(-1, xfs.FileOf(file).DentrySlab);
            Assert.Equal(-1, xfs.FileOf(file).NameSlab);
        }
        Assert.True(xfs.FileOf(7).DentrySlab >= 0);
        Assert.Equal(0, xfs.ShrinkDcacheParent(0, 6));
        Invariants.Check(k);
    }

    [Fact]
    public void With_the_switch_an_rm_that_completes_leaves_no_dentry_behind()
    {
        // Ten directories of 400 files on a machine with room for all of them: no prune runs, so what
        // is left at the end is what the rmdirs did not free.
        var scenario = TestMachine.Tiny("256M", "16M")
            .WithOverride("files", "4000").WithOverride("files-per-dir", "400").WithOverride("workers", "2")
            .WithOverride("other-anon", "0").WithOverride("memory-hog", "0").WithOverride("drop-caches-at", "none");
        foreach (bool rmdir in new[] { true, false })
        {
            var report = Simulation.Run(Linux313Handwritten.Build(), scenario.WithOverride("vfs-rmdir", rmdir ? "on" : "off"), new RunOptions { CheckInvariants = true });
            Assert.Equal("completed", report.Verdict);
            var dentry = report.End.Slab.FirstOrDefault(c => c.Name == "dentry");
            long left = dentry?.ActiveObjs ?? 0;
            if (rmdir)
                Assert.Equal(0, left);
            else
                Assert.Equal(4000, left);
        }
    }
}
