using CsCheck;
using Policyc.Compiler;
using Policyc.Robustness.Tests.Support;
using Policyc.Runtime;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>
/// A policy is someone else's text, and any value its rules give must leave the simulator sound: the
/// run ends with a verdict (a rule that cannot be evaluated is <c>policy-error</c>), and the
/// machine's invariants hold throughout (checked on one run in six). Policies here override a few rules of linux-3.13 with
/// extreme constants of their types (negative, zero, huge; every shrinker action; percentages
/// outside 0-100) and run on a short <c>small</c>.
/// </summary>
public sealed class PolicyValueFuzzTests : IDisposable
{
    const int Policies = 18;

    // The invariants walk every frame, slab and swap slot at each sample: seconds a run. One run in
    // six checks them; every run checks its verdict.
    const int CheckInvariantsEvery = 6;

    // A sound run of this scenario takes about 14,000 events. Some values keep kswapd or the
    // allocator looping without sleeping (as they would a kernel) until the budget stops them.
    const long EventBudget = 100_000;

    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    static readonly Dictionary<PolicyType, string[]> Values = new()
    {
        [PolicyType.Bool] = ["true", "false"],
        [PolicyType.Count] = ["0", "1", "-1", "3", "128", "1000000", "9223372036854775807", "-9223372036854775807"],
        [PolicyType.Pages] = ["0 pages", "1 pages", "-1 pages", "100000000 pages"],
        [PolicyType.Bytes] = ["0 bytes", "64k", "-4k", "1T"],
        [PolicyType.Duration] = ["0ms", "1ns", "-20ms", "20ms", "1h", "9223372036854775807ns"],
        [PolicyType.Percent] = ["0%", "25%", "100%", "150%", "-5%"],
        [PolicyType.Gfp] = ["GFP_NOFS", "GFP_KERNEL", "GFP_ATOMIC"],
        [PolicyType.ShrinkAction] = ["run", "defer", "skip"],
    };

    static readonly Gen<(HookDescriptor Hook, string Value)> Override =
        Gen.OneOf(HookCatalog.All.ToArray())
            .SelectMany(hook => Gen.OneOf(Values[hook.Returns]).Select(value => (hook, value)));

    static string PolicyText((HookDescriptor Hook, string Value)[] overrides)
    {
        var sections = overrides
            .DistinctBy(o => o.Hook.Id)
            .GroupBy(o => o.Hook.Section)
            .Select(g => $"  {(g.Key == PolicySection.Shrinker ? "shrinker \"*\"" : HookCatalog.SectionName(g.Key))} {{ "
                         + string.Concat(g.Select(o => $"{o.Hook.Name} = {o.Value}; ")) + "}\n");
        return "policy fuzz extends linux-3.13 {\n" + string.Concat(sections) + "}\n";
    }

    [Fact]
    public void Extreme_rule_values_end_in_a_verdict_with_the_invariants_holding()
    {
        string path = scratch.Combine("fuzz.rpol");
        var scenario = BuiltinScenarios.Small.WithOverride("duration", "3s");
        int ran = 0;
        Override.Array[1, 6].Sample(overrides =>
        {
            File.WriteAllText(path, PolicyText(overrides));
            var loaded = PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = true });
            if (loaded.Table is null)
                return; // a value the binder refuses for this rule: not a run to make
            bool check = ran % CheckInvariantsEvery == 0;
            var report = Simulation.Run(loaded.Table, scenario, new RunOptions { CheckInvariants = check, SampleIntervalS = check ? 5 : 1, EventBudget = EventBudget });
            Assert.Contains(report.Verdict, (string[])["livelock", "completed", "timeout", "oom", "policy-error"]);
            if (report.Verdict == "policy-error")
                Assert.NotNull(report.PolicyError);
            ran++;
        }, iter: Policies, threads: 1, print: PolicyText);
        Assert.InRange(ran, Policies / 3, Policies);
    }
}
