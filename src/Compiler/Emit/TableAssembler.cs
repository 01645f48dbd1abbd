using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Emit;

/// <summary>
/// Puts a bound policy's rules in force into a <see cref="PolicyTable"/>, whatever made the
/// delegates (compiled methods or the interpreter): shrinker sections in resolution order.
/// </summary>
public static class TableAssembler
{
    public static PolicyTable Assemble(BoundPolicy policy, Func<BoundRule, Delegate> delegateFor)
    {
        string root = policy.Directory;
        var builder = new PolicyTableBuilder(policy.Name).WithLineage(policy.Lineage.Select(p => p.Name));
        var rules = policy.EffectiveRules;
        foreach (var (key, rule) in rules.Where(r => r.Key.Pattern is null).OrderBy(r => r.Key.Hook))
            builder.Set(key.Hook, delegateFor(rule), rule.OriginRelativeTo(root));
        foreach (var pattern in policy.ShrinkerPatterns)
        {
            var section = rules.Where(r => r.Key.Pattern == pattern).OrderBy(r => r.Key.Hook).ToArray();
            builder.AddShrinkerSection(pattern,
                section.ToDictionary(r => r.Key.Hook, r => delegateFor(r.Value)),
                section.ToDictionary(r => r.Key.Hook, r => r.Value.OriginRelativeTo(root)));
        }
        return builder.Build();
    }

    /// <summary>The delegate type of a hook: <c>PolicyHook&lt;bool&gt;</c>, <c>PolicyHook&lt;long&gt;</c>…</summary>
    public static Type DelegateType(HookDescriptor hook) =>
        typeof(PolicyHook<>).MakeGenericType(PolicyTypes.ClrType(hook.Returns));
}
