using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Slab;

/// <summary>
/// Slab objects freed through call_rcu, with the scenario's <c>rcu-grace-period</c>. XFS frees an
/// xfs_inode from an RCU callback (xfs_inode_free), and the VFS frees a dentry that was ever hashed,
/// with its external name, the same way (d_free of a DCACHE_RCUACCESS dentry): the object, and so
/// its slab's pages, stay allocated until a grace period has passed. Every grace period is taken to
/// last the same time, so the frees come due in the order they were asked for. The callbacks run in
/// softirq context on the CPU that queued them, which takes no CPU time of its own here (the free's
/// cost is charged where the object was given up): inside shrink_slab for the callbacks due by
/// then, whose pages count for that reclaimer as they would in the current->reclaim_state of the
/// task the softirq interrupts, and otherwise as this task between other tasks' steps, for no
/// reclaimer. With a grace period of 0 (the default) the object is freed at once.
/// </summary>
internal sealed class RcuFrees(Kernel k) : SimTask("rcu_process_callbacks")
{
    readonly Queue<(long Due, int Slab, int Cpu)> pending = new();
    bool registered;

    public override bool NeedsCpu => false;

    /// <summary>Objects waiting for their grace period.</summary>
    public int Pending => pending.Count;

    /// <summary>The slabs of the objects waiting, one entry per object (for invariant checks).</summary>
    public IEnumerable<int> PendingSlabs => pending.Select(p => p.Slab);

    /// <summary>call_rcu(head, free): the object is freed a grace period after the running step's moment.</summary>
    public void Free(int slab)
    {
        long gracePeriod = k.Scenario.RcuGracePeriod;
        if (gracePeriod <= 0)
        {
            k.Slab.Free(slab);
            return;
        }
        // Registered on first use, so that a run without grace periods has the tasks, and task ids,
        // it always had.
        if (!registered)
        {
            k.Scheduler.AddBlocked(this);
            registered = true;
        }
        long due = k.StepClock + gracePeriod;
        pending.Enqueue((due, slab, k.CurrentCpu));
        k.Scheduler.WakeAt(this, due); // already queued for an earlier callback: it keeps that time
    }

    /// <summary>rcu_process_callbacks between other tasks' steps: frees every object whose grace period has ended.</summary>
    public override long Step(long now)
    {
        FreeDue(now);
        return pending.TryPeek(out var next) ? next.Due - now : Blocked;
    }

    /// <summary>
    /// The callbacks that come due while a reclaimer runs: the softirq interrupts it, and the pages
    /// they free count in its reclaim_state. shrink_slab runs them before it reports the pages it
    /// freed, so a step that reclaims for longer than a grace period sees its earlier frees come back.
    /// </summary>
    public void RunDue() => FreeDue(k.StepClock);

    void FreeDue(long now)
    {
        while (pending.TryPeek(out var callback) && callback.Due <= now)
        {
            pending.Dequeue();
            k.Slab.Free(callback.Slab, callback.Cpu); // on the CPU that queued it
        }
    }
}
