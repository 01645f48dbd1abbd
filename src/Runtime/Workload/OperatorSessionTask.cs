using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Workload;

/// <summary>
/// The operator logs in while the rm runs (scenario session-at), as the reporter did to take his
/// free, slabtop and perf top figures. The login first touches swapped-out pages again, one after
/// another, each read like any swap fault (<see cref="Processes.SwapInRandomPage"/>): while swap
/// is over half full each frees its slot. Then the session's tools fault in their anon memory on
/// the session's CPU, and so from its node's zones first, and keep it until the run ends.
/// </summary>
internal sealed class OperatorSessionTask(Kernel k, Action<long, string, string> record) : Sim.SimTask("session")
{
    /// <summary>
    /// The time between two of the login's swap faults: a random 4 KiB read from the swap device, about
    /// a millisecond on a disk image, in which the faulting task sleeps and other tasks run.
    /// </summary>
    const long SwapReadNs = 1_000_000;

    long swapInsLeft = k.Scenario.SessionSwapIns;
    long swappedIn;
    long anonLeft = k.Scenario.SessionAnonBytes / PolicyTypes.PageSize;
    bool started, loggedIn;
    SwapFault fault;
    AllocAttempt attempt;

    public override long Step(long now)
    {
        if (!started)
        {
            started = true;
            record(now, "operator", $"login on CPU {k.Scenario.SessionCpu} (node {k.NodeOfCpu(k.Scenario.SessionCpu)})");
        }
        if (swapInsLeft > 0)
        {
            int r = k.Processes.SwapInRandomPage(ref fault, ref attempt);
            if (r == PageAllocator.Wait)
                return attempt.WaitNs;
            if (r == PageAllocator.Failed)
                return 20_000_000;
            // 0: nothing is swapped out any more, so there is nothing left for the login to read.
            swapInsLeft = r == 0 ? 0 : swapInsLeft - 1;
            swappedIn += r;
            if (swapInsLeft > 0)
                return SwapReadNs;
        }
        if (!loggedIn)
        {
            loggedIn = true;
            record(now, "operator", $"session logged in: {swappedIn} swapped-out pages touched again; swap {k.SwapDevice?.InusePages ?? 0}/{k.SwapDevice?.Pages ?? 0} slots used");
        }
        if (k.Processes.FaultAnonBatch(Processes.Session, ref anonLeft, ref attempt) is long sleep)
            return sleep;
        if (anonLeft > 0 && !k.Processes.IsDead(Processes.Session))
            return 0;
        if (k.Scenario.SessionAnonBytes > 0)
            record(now, "operator", k.Processes.IsDead(Processes.Session)
                ? "session's tools killed by the OOM killer before they had all their memory"
                : $"session's tools running with {k.Processes.Rss[Processes.Session] * PolicyTypes.PageSize >> 20} MiB resident");
        return Exited;
    }
}
