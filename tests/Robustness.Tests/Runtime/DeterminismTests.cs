using Policyc.Robustness.Tests.Support;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>
/// The same policy and scenario give the same report, field for field, apart from wall-clock time:
/// run after run, and compiled or interpreted.
/// </summary>
public class DeterminismTests
{
    [Fact]
    public void Same_inputs_give_the_same_json_across_runs_and_across_interpret_and_compiled()
    {
        // A derived policy, so rules of both the base and the fix are called.
        string path = Path.Combine(Repository.Policies, "fix-kswapd-deferred.rpol");
        var scenario = BuiltinScenarios.Small;
        string compiled = Runs.JsonWithoutWallClock(Simulation.Run(Runs.Load(path, interpret: false), scenario, new RunOptions()));
        string again = Runs.JsonWithoutWallClock(Simulation.Run(Runs.Load(path, interpret: false), scenario, new RunOptions()));
        string interpreted = Runs.JsonWithoutWallClock(Simulation.Run(Runs.Load(path, interpret: true), scenario, new RunOptions()));
        Assert.Equal(compiled, again);
        Assert.Equal(compiled, interpreted);
    }

    [Fact]
    public void A_different_seed_gives_a_different_run()
    {
        // Guards the test above against comparing something that never varies.
        var table = Runs.Load(Repository.Linux313, interpret: true);
        string a = Runs.JsonWithoutWallClock(Simulation.Run(table, BuiltinScenarios.Small, new RunOptions()));
        string b = Runs.JsonWithoutWallClock(Simulation.Run(table, BuiltinScenarios.Small with { Seed = BuiltinScenarios.Small.Seed + 1 }, new RunOptions()));
        Assert.NotEqual(a, b);
    }
}
