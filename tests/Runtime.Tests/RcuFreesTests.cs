using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

/// <summary>
/// Slab objects freed through call_rcu (scenario rcu-grace-period): a pruned dentry with its name,
/// and a reclaimed xfs_inode, stay allocated until the grace period has passed.
/// </summary>
public class RcuFreesTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("10ms")]
    public void Freed_xfs_inodes_and_dentries_come_back_to_their_slabs_a_grace_period_later(string gracePeriod)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("rcu-grace-period", gracePeriod));
        long delay = k.Scenario.RcuGracePeriod;
        int tasks = k.Scheduler.Tasks.Count;
        TestMachine.LookUp(k, 3);
        k.Xfs.Unlink(3);
        Assert.Equal(1, k.Xfs.PruneDcache(1, nid: 0));
        Assert.Equal(1, k.Xfs.ReclaimInodes(1));
        Assert.True(k.Xfs.FileOf(3).DentrySlab < 0 && k.Xfs.FileOf(3).InodeSlab < 0);
        long freedAt = Clock(k);

        // The file has let both go; until the grace period ends they are still allocated.
        long waiting = delay == 0 ? 0 : 1;
        Assert.Equal(waiting, k.Slab.Dentry.ActiveObjects);
        Assert.Equal(waiting, k.Slab.XfsInode.ActiveObjects);
        Invariants.Check(k);

        while (k.Scheduler.RunNext())
        {
        }
        Assert.Equal(0, k.Slab.Dentry.ActiveObjects);
        Assert.Equal(0, k.Slab.XfsInode.ActiveObjects);
        Assert.Equal(0, k.Rcu.Pending);
        // The callbacks ran when the grace period ended; without one no task was ever added.
        Assert.Equal(delay == 0 ? 0 : freedAt + delay, k.Scheduler.Now);
        Assert.Equal(delay == 0 ? tasks : tasks + 1, k.Scheduler.Tasks.Count);
        Invariants.Check(k);
    }

    [Fact]
    public void Callbacks_run_in_the_order_and_at_the_moments_their_grace_periods_end()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("rcu-grace-period", "10ms"));
        foreach (int file in new[] { 1, 2 })
            TestMachine.LookUp(k, file);
        k.Xfs.Unlink(1);
        k.Xfs.Unlink(2);
        Assert.Equal(1, k.Xfs.ReclaimInodes(1));
        long first = Clock(k);
        k.Scheduler.AdvanceTo(4_000_000);
        Assert.Equal(1, k.Xfs.ReclaimInodes(1));
        long second = Clock(k);
        Assert.Equal(2, k.Rcu.Pending);

        var freed = new List<(long At, long Active)>();
        while (k.Scheduler.RunNext())
            freed.Add((k.Scheduler.Now, k.Slab.XfsInode.ActiveObjects));
        Assert.Equal([(first + 10_000_000, 1L), (second + 10_000_000, 0L)], freed);
    }

    [Fact]
    public void A_shrink_slab_call_that_outlasts_the_grace_period_frees_the_objects_itself()
    {
        // The softirq that runs the callbacks interrupts whoever is reclaiming: shrink_slab runs the
        // ones due by the moment it has reached, so a long reclaim step sees its earlier frees come back.
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("rcu-grace-period", "10ms"));
        TestMachine.LookUp(k, 3);
        k.Xfs.Unlink(3);
        Assert.Equal(1, k.Xfs.ReclaimInodes(1));
        var sc = TestMachine.Scan(Policy.GfpMasks.GFP_NOFS);

        k.Cpu.Charge(Sim.Symbol.ShrinkSlab, 5_000_000);
        k.Shrinkers.ShrinkSlab(sc, 32, 1000, 0, Mm.NodeMask.Of(0));
        Assert.Equal(1, k.Rcu.Pending);
        Assert.Equal(1, k.Slab.XfsInode.ActiveObjects);

        k.Cpu.Charge(Sim.Symbol.ShrinkSlab, 5_000_000);
        k.Shrinkers.ShrinkSlab(sc, 32, 1000, 0, Mm.NodeMask.Of(0));
        Assert.Equal(0, k.Rcu.Pending);
        Assert.Equal(0, k.Slab.XfsInode.ActiveObjects);
        Invariants.Check(k);
    }

    [Fact]
    public void A_callback_frees_the_object_on_the_cpu_that_queued_it()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny()
            .WithOverride("slub-cpu-slabs", "on")
            .WithOverride("slub-partial-order", "on")
            .WithOverride("slub-cpu-partial", "on")
            .WithOverride("rcu-grace-period", "10ms"));
        Assert.True(k.Scenario.Cpus > 1);
        k.Scheduler.AddBlocked(new Idle()); // so the callbacks' task, added next, runs on CPU 1
        var cache = k.Slab.XfsInode;
        var attempt = new Mm.AllocAttempt();
        // Two full slabs allocated on CPU 0, the second its active slab; an object of the first goes
        // through call_rcu on CPU 0, and its slab goes to CPU 0's partial list when the callback runs.
        var objects = Enumerable.Range(0, 2 * cache.ObjectsPerSlab(cache.Order))
            .Select(_ => k.Slab.Alloc(cache, Policy.GfpMasks.GFP_KERNEL, ref attempt)).ToList();
        k.Rcu.Free(objects[0]);
        while (k.Scheduler.RunNext())
        {
        }
        Assert.Equal([objects[0]], k.Slab.CpuPartialSlabs(cache, 0));
        Assert.Empty(k.Slab.CpuPartialSlabs(cache, 1));
        foreach (int slab in objects.Skip(1))
            k.Slab.Free(slab);
        Invariants.Check(k);
    }

    sealed class Idle() : Sim.SimTask("idle")
    {
        public override long Step(long now) => Exited;
    }

    /// <summary>The moment the code running outside any task has reached: the scheduler's time plus the CPU it charged.</summary>
    static long Clock(Kernel k) => k.Scheduler.Now + k.Cpu.StepNs;
}
