namespace Policyc.Runtime.Sim;

/// <summary>
/// Discrete-event scheduling in virtual time over N CPUs. A step starts at its event time if a CPU
/// is free then; otherwise the task waits for the first CPU to come free. Ties break by queue order,
/// so a run is deterministic. Nothing is allocated per event.
/// </summary>
public sealed class Scheduler
{
    readonly PriorityQueue<SimTask, (long Time, long Seq)> queue = new();
    readonly long[] cpuFreeAt;
    readonly CpuAccounting cpu;
    readonly List<SimTask> tasks = [];
    long seq;

    public long Now { get; private set; }
    public long EventsProcessed { get; private set; }
    /// <summary>The task whose step is running (null between steps): what a wait queue records as its waiter.</summary>
    public SimTask? Current { get; private set; }
    /// <summary>
    /// Set during a step when the running task went to sleep on a wait queue in the middle of kernel
    /// code (a log force behind a lock): the code on its stack unwinds and the step ends Blocked.
    /// </summary>
    public bool CurrentBlocked { get; private set; }

    /// <summary>
    /// The running task sleeps in <paramref name="waitChannel"/> until a <see cref="Wake"/>; callers
    /// up its stack see <see cref="CurrentBlocked"/>.
    /// </summary>
    public void BlockCurrent(string waitChannel)
    {
        CurrentBlocked = true;
        if (Current is not null)
            Current.WaitChannel = waitChannel;
    }

    public Scheduler(int cpus, CpuAccounting cpu)
    {
        cpuFreeAt = new long[cpus];
        this.cpu = cpu;
    }

    public IReadOnlyList<SimTask> Tasks => tasks;

    public void Add(SimTask task, long at)
    {
        AddBlocked(task);
        Enqueue(task, at);
    }

    /// <summary>Registers a task that waits for a <see cref="Wake"/> (kswapd at boot).</summary>
    public void AddBlocked(SimTask task)
    {
        task.Id = tasks.Count;
        tasks.Add(task);
    }

    /// <summary>Wakes a blocked task (wake_up): it runs at the current time.</summary>
    public void Wake(SimTask task)
    {
        if (!task.Queued && !task.Finished)
            Enqueue(task, Now);
    }

    /// <summary>Queues a blocked task to run at <paramref name="at"/> (a timer); a task already queued keeps its time.</summary>
    public void WakeAt(SimTask task, long at)
    {
        if (!task.Queued && !task.Finished)
            Enqueue(task, Math.Max(at, Now));
    }

    void Enqueue(SimTask task, long at)
    {
        task.Queued = true;
        queue.Enqueue(task, (at, seq++));
    }

    public bool HasWork => queue.Count > 0;

    public long NextEventTime => queue.TryPeek(out _, out var p) ? p.Time : long.MaxValue;

    /// <summary>Runs the next event; returns false when no task is queued.</summary>
    public bool RunNext()
    {
        if (!queue.TryDequeue(out var task, out var when))
            return false;
        int best = 0;
        for (int i = 1; i < cpuFreeAt.Length; i++)
            if (cpuFreeAt[i] < cpuFreeAt[best])
                best = i;
        if (task.NeedsCpu && cpuFreeAt[best] > when.Time)
        {
            // Every CPU is busy: the task stays runnable and starts when one comes free, keeping its
            // place in line (its original sequence number) so that busy tasks cannot starve it.
            queue.Enqueue(task, (cpuFreeAt[best], when.Seq));
            return true;
        }
        Now = when.Time;
        EventsProcessed++;
        cpu.StepNs = 0;
        task.Queued = false;
        task.WaitChannel = null;
        Current = task;
        CurrentBlocked = false;
        long sleep = task.Step(Now);
        Current = null;
        if (CurrentBlocked)
        {
            if (sleep != SimTask.Blocked && sleep != SimTask.Exited)
                throw new InvalidOperationException($"{task.Name} went to sleep on a wait queue but its step did not end Blocked");
            CurrentBlocked = false;
        }
        long used = cpu.StepNs;
        // Between steps no step is running: a reader of the running step's clock (Now + StepNs) then gets Now.
        cpu.StepNs = 0;
        if (task.NeedsCpu)
            cpuFreeAt[best] = Now + used;
        if (sleep == SimTask.Exited)
            task.Finished = true;
        else if (sleep != SimTask.Blocked)
            Enqueue(task, Now + used + sleep);
        return true;
    }

    /// <summary>Advances the clock without running anything (to a sample or operator event time).</summary>
    public void AdvanceTo(long time)
    {
        if (time > Now)
            Now = time;
    }
}
