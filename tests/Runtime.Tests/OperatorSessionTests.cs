using Policyc.Runtime.Tests.Policies;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

/// <summary>
/// session-at: the operator logs in while the rm runs. The login touches swapped-out pages again,
/// each a swap fault that frees its slot while swap is over half full; the session's tools then fault
/// in their anon memory from the node of the session's CPU and keep it.
/// </summary>
public class OperatorSessionTests
{
    static readonly Scenario TwoNodes = BuiltinScenarios.Small
        .WithOverride("nodes", "2").WithOverride("duration", "60s")
        .WithOverride("session-at", "10s").WithOverride("session-swap-ins", "500").WithOverride("session-anon", "32M");

    static RunReport Run(Scenario s) => Simulation.Run(Linux313Handwritten.Build(), s, new RunOptions { CheckInvariants = true, SampleIntervalS = 5 });

    static IEnumerable<string> OperatorEvents(RunReport r) => r.Events.Where(e => e.Kind == "operator").Select(e => e.Detail);

    [Fact]
    public void The_login_reads_back_its_pages_and_the_tools_keep_their_memory()
    {
        var r = Run(TwoNodes.WithOverride("session-cpu", "1"));
        var events = r.Events.Where(e => e.Kind == "operator").ToList();
        Assert.Equal(10.0, events[0].AtS);
        Assert.Equal("login on CPU 1 (node 1)", events[0].Detail);
        Assert.StartsWith("session logged in: 500 swapped-out pages touched again", events[1].Detail);
        Assert.Equal("session's tools running with 32 MiB resident", events[2].Detail);
        // The 500 reads, a millisecond apart, come before the tools start.
        Assert.InRange(events[1].AtS, 10.5, 10.6);
    }

    [Fact]
    public void The_login_frees_the_slots_of_the_pages_it_reads_back_while_swap_is_full()
    {
        var without = Run(TwoNodes.WithOverride("session-at", "none"));
        var with = Run(TwoNodes.WithOverride("session-anon", "0"));
        Assert.DoesNotContain(OperatorEvents(without), d => d.Contains("session") || d.Contains("login"));
        Assert.True(with.End.Memory.SwapFreeKb >= without.End.Memory.SwapFreeKb + 500 * 4 / 2,
            $"swap free {with.End.Memory.SwapFreeKb} KiB with the login, {without.End.Memory.SwapFreeKb} KiB without");
    }

    [Fact]
    public void The_tools_memory_comes_from_the_node_of_the_sessions_cpu()
    {
        // CPUs are dealt to nodes round robin: CPU 0 is node 0's, CPU 1 node 1's. A faulted page goes to
        // the head of its zone's active anon list, so that list grows on the session's own node.
        long ActiveAnon(RunReport r, int node) => r.End.Zones.Where(z => z.Node == node).Sum(z => z.ActiveAnonPages);
        var onNode0 = Run(TwoNodes.WithOverride("session-cpu", "0"));
        var onNode1 = Run(TwoNodes.WithOverride("session-cpu", "1"));
        Assert.True(ActiveAnon(onNode0, 0) > ActiveAnon(onNode1, 0) && ActiveAnon(onNode1, 1) > ActiveAnon(onNode0, 1),
            $"active anon by node: session on CPU 0 {ActiveAnon(onNode0, 0)}/{ActiveAnon(onNode0, 1)}, on CPU 1 {ActiveAnon(onNode1, 0)}/{ActiveAnon(onNode1, 1)}");
    }

    [Fact]
    public void A_session_that_ends_the_livelock_is_named_as_what_ended_it()
    {
        // small livelocks from 2.3 s. 256 MiB of tools' memory is more than its zones hold free, so their
        // faults reclaim, with __GFP_FS, and free the slab the rm's commits wait for.
        var s = BuiltinScenarios.Small.WithOverride("livelock-window", "10s")
            .WithOverride("session-at", "30s").WithOverride("session-anon", "256M");
        var r = Run(s);
        Assert.True(r.Livelock.Detected);
        Assert.Equal("session", r.Livelock.EndedBy);
        Assert.InRange(r.Livelock.RecoveredS!.Value, 30.0, 40.0);
        // Without the session nothing ends it before the drop at 300 s.
        Assert.Null(Run(s.WithOverride("session-at", "none").WithOverride("duration", "60s")).Livelock.RecoveredS);
    }

    [Fact]
    public void Tools_that_want_all_of_memory_are_oom_killed_and_the_timeline_says_so()
    {
        // small has 512 MiB of RAM: the tools' faults run it out, and with the most memory of any
        // process the session is the OOM killer's victim (process 1000 + its slot).
        var r = Run(BuiltinScenarios.Small.WithOverride("duration", "60s")
            .WithOverride("session-at", "30s").WithOverride("session-anon", "512M"));
        Assert.Contains(r.Events, e => e.Kind == "oom" && e.Detail.StartsWith("Out of memory: Kill process 1009 ", StringComparison.Ordinal) && e.AtS > 30);
        Assert.Contains("session's tools killed by the OOM killer before they had all their memory", OperatorEvents(r));
    }
}
