namespace Policyc.Runtime.Sim;

/// <summary>
/// A simulated task (an rm worker, kswapd, a set-up process). Each step runs atomically at one
/// virtual instant, charges its CPU time through <see cref="CpuAccounting"/>, and says when the task
/// wants to run again.
/// </summary>
public abstract class SimTask(string name)
{
    /// <summary>Returned by <see cref="Step"/> when the task blocks until something wakes it.</summary>
    public const long Blocked = -1;
    /// <summary>Returned by <see cref="Step"/> when the task has finished.</summary>
    public const long Exited = -2;

    public string Name { get; } = name;
    public int Id { get; internal set; }
    /// <summary>The CPU the task is bound to; an unbound task runs on CPU <see cref="Id"/> mod the CPUs.</summary>
    public int? Cpu { get; init; }
    /// <summary>Queued to run (runnable or sleeping on a timer), as opposed to blocked or exited.</summary>
    public bool Queued { get; internal set; }
    public bool Finished { get; internal set; }
    /// <summary>
    /// While the task sleeps on a wait queue in kernel code: the function it sleeps in, as
    /// /proc/PID/wchan names it (the nearest function on its stack that explains the wait). Null
    /// while it runs, waits for a CPU or sleeps on a timer.
    /// </summary>
    public string? WaitChannel { get; internal set; }
    /// <summary>False for bookkeeping tasks (sampling, operator events) that take no CPU time.</summary>
    public virtual bool NeedsCpu => true;

    /// <summary>
    /// Runs one step at <paramref name="now"/>. Returns how long after the step's CPU time the task
    /// sleeps before its next step (0 to run again at once), or <see cref="Blocked"/> / <see cref="Exited"/>.
    /// </summary>
    public abstract long Step(long now);
}
