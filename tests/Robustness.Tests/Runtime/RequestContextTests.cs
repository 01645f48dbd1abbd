using System.Text.Json.Nodes;
using Policyc.Robustness.Tests.Support;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>
/// A rule sees at run time the request its decision tests describe. kmem_alloc's rules once saw
/// order 0 for every log vector, so a fallback written on the order passed its tests (given
/// order = 5) and changed nothing in a run.
/// </summary>
public class RequestContextTests : IDisposable
{
    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_kmem_alloc_rule_on_the_order_runs_as_the_same_rule_on_the_size()
    {
        // get_order(size) > 0 exactly when size > 4k, so the two policies decide alike on every call.
        string bySize = scratch.Write("by-size.rpol", "policy by-size extends linux-3.13 { xfs { kmem_fallback_order0 = size > 4k; } }\n");
        string byOrder = scratch.Write("by-order.rpol", "policy by-order extends linux-3.13 { xfs { kmem_fallback_order0 = order > 0; } }\n");
        var scenario = BuiltinScenarios.Small.WithOverride("seed", "3").WithOverride("duration", "60s");

        var size = Report(bySize, scenario);
        var order = Report(byOrder, scenario);
        var stock = Report(Repository.Linux313, scenario);
        Assert.Equal(size.ToJsonString(), order.ToJsonString());
        // Not a comparison of two runs that never fall back: on this draw 3.13 itself livelocks.
        Assert.Equal("livelock", stock["verdict"]!.GetValue<string>());
        Assert.Equal("completed", order["verdict"]!.GetValue<string>());
    }

    static JsonObject Report(string policy, Scenario scenario)
    {
        var node = JsonNode.Parse(Runs.JsonWithoutWallClock(Simulation.Run(Runs.Load(policy, interpret: false), scenario, new RunOptions())))!.AsObject();
        node.Remove("policy");
        node.Remove("lineage");
        return node;
    }
}
