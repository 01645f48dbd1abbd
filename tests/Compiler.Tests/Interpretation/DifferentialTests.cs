using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Interpretation;
using Policyc.Compiler.Tests.Support;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Tests.Interpretation;

/// <summary>
/// Compiled and interpreted rules must agree: the same value, or the same failure (a PolicyFault
/// with the same message at the same rule, or the same exception type from a contract function).
/// Each policy's own rules are tested (inherited ones are tested with the policy that states them),
/// through the policy's own compiled table, so every rule of every shipped policy is covered.
/// </summary>
public class DifferentialTests
{
    const int InputsPerRule = 10_000;

    // The same seeded inputs for every policy, made once: generating them is half the cost.
    static readonly Lazy<HookContext[]> Inputs = new(() =>
    {
        var inputs = new RandomContexts(seed: 1313);
        return Enumerable.Range(0, InputsPerRule).Select(_ => inputs.Next()).ToArray();
    });

    public static TheoryData<string> Policies()
    {
        var data = new TheoryData<string>();
        foreach (var file in Repository.PolicyFiles())
            data.Add(file);
        data.Add(Path.Combine(Repository.TestPolicies, "arithmetic.rpol"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Compiled_and_interpreted_rules_agree_on_random_inputs(string path)
    {
        var compilation = PolicyCompilation.Load(path);
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var policy = compilation.Policy!;
        var compiled = PolicyBuilder.Build(compilation, cache: null).Table!;
        var interpreted = TableAssembler.Assemble(policy, rule => Interpreter.CreateDelegate(rule, policy.Directory));

        var contexts = Inputs.Value;
        int faults = 0;
        Assert.NotEmpty(policy.Rules);
        foreach (var rule in policy.Rules)
        {
            var key = rule.Key;
            var (fast, reference) = key.Pattern is null
                ? (compiled.GetHook(key.Hook), interpreted.GetHook(key.Hook))
                : (Section(compiled, key), Section(interpreted, key));
            foreach (var context in contexts)
            {
                var expected = Outcome(reference, context);
                var actual = Outcome(fast, context);
                Assert.True(expected == actual, $"{key} ({rule.Origin()}): interpreted {expected}, compiled {actual}");
                if (expected.StartsWith("fault", StringComparison.Ordinal))
                    faults++;
            }
        }
        if (Path.GetFileName(path) == "arithmetic.rpol")
            Assert.True(faults > 0, "the arithmetic policy should fault on some inputs");
    }

    static Delegate Section(PolicyTable table, RuleKey key) =>
        table.ShrinkerSections.Single(s => s.Pattern == key.Pattern).Rules[key.Hook];

    static string Outcome(Delegate rule, HookContext context)
    {
        try
        {
            return rule switch
            {
                PolicyHook<bool> b => "value " + b(in context),
                PolicyHook<long> l => "value " + l(in context),
                PolicyHook<Gfp> g => "value " + g(in context),
                PolicyHook<ShrinkAction> a => "value " + a(in context),
                _ => throw new InvalidOperationException(rule.GetType().Name),
            };
        }
        catch (PolicyFault fault)
        {
            return $"fault {fault.Message} at {fault.Origin}";
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return "exception " + e.GetType().Name;
        }
    }
}

static class RuleExtensions
{
    public static string Origin(this BoundRule rule) => rule.OriginRelativeTo(rule.Owner.Directory).ToString();
}
