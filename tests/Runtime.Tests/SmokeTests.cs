using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

public class SmokeTests
{
    [Fact]
    public void A_run_returns_a_report_with_a_known_verdict()
    {
        var scenario = BuiltinScenarios.Small.WithOverride("files", "20k").WithOverride("duration", "20s");
        var report = Simulation.Run(Linux313Handwritten.Build(), scenario, new RunOptions { EventBudget = 200_000 });
        Assert.Equal("small", report.Scenario);
        Assert.Contains(report.Verdict, new[] { "livelock", "completed", "oom", "timeout", "policy-error" });
        Assert.True(report.EventsProcessed > 0);
    }
}
