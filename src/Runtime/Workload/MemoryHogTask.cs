using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Workload;

/// <summary>
/// A memory hog run during set-up (as test machines often see between runs): it touches a large
/// anonymous region, which pushes the page cache out and the other processes' idle anon to swap,
/// then exits and frees its own memory. What it leaves behind is a full swap device. On a machine with
/// several nodes the hog has a thread on each, touching <paramref name="bytes"/> each.
/// </summary>
internal sealed class MemoryHogTask(Kernel k, long bytes, Action done) : Sim.SimTask("memhog")
{
    long left = bytes / PolicyTypes.PageSize;
    AllocAttempt attempt;

    public override long Step(long now)
    {
        if (k.Processes.FaultAnonBatch(Processes.Hog, ref left, ref attempt) is long sleep)
            return sleep;
        if (left > 0 && !k.Processes.IsDead(Processes.Hog))
            return 0;
        done(); // the last thread to finish exits the process
        return Exited;
    }
}
