using Policyc.Robustness.Tests.Support;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>
/// Every run is bounded twice: by virtual time (the scenario's duration, --duration) and by a
/// count of simulated events, which also stops a policy that keeps the machine busy without letting
/// virtual time advance. Either way the report is complete and says why the run stopped.
/// </summary>
public class RunBoundsTests
{
    [Fact]
    public void The_event_budget_stops_a_run_and_the_report_says_so()
    {
        var table = Runs.Load(Repository.Linux313, interpret: true);
        var report = Simulation.Run(table, BuiltinScenarios.Small, new RunOptions { EventBudget = 2_000 });
        Assert.InRange(report.EventsProcessed, 2_000, 2_000);
        Assert.Equal("timeout", report.Verdict);
        Assert.Contains(report.Events, e => e.Detail.Contains("event budget exhausted", StringComparison.Ordinal));
        Assert.NotNull(report.End);
    }

    [Fact]
    public void Every_run_has_an_event_budget_by_default()
    {
        Assert.Equal(RunOptions.DefaultEventBudget, new RunOptions().EventBudget);
        Assert.InRange(RunOptions.DefaultEventBudget, 1_000_000, 1_000_000_000);
    }

    [Fact]
    public void The_duration_bounds_virtual_time()
    {
        var table = Runs.Load(Repository.Linux313, interpret: true);
        var twoSeconds = BuiltinScenarios.Small with { Duration = 2_000_000_000 };
        var report = Simulation.Run(table, twoSeconds, new RunOptions());
        Assert.Equal("timeout", report.Verdict);
        Assert.InRange(report.SimulatedSeconds, 2.0, 2.1);
        Assert.True(report.Progress.FilesRemoved > 0);
    }
}
