using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Testing;

/// <summary>
/// Finds the rule in force for a hook the way the runtime does: the most derived policy's rule,
/// and for a shrinker hook the first section (in <see cref="BoundPolicy.ShrinkerPatterns"/> order)
/// whose pattern matches the shrinker's name and which states the hook.
/// </summary>
public static class RuleResolver
{
    public static BoundRule? Resolve(BoundPolicy policy, HookId hook, string? shrinker)
    {
        if (HookCatalog.Get(hook).Section != PolicySection.Shrinker)
            return policy.Find(new RuleKey(hook, null));
        if (shrinker is null)
            return null;
        foreach (var pattern in policy.ShrinkerPatterns)
        {
            if (!Matches(pattern, shrinker))
                continue;
            if (policy.Find(new RuleKey(hook, pattern)) is { } rule)
                return rule;
        }
        return null;
    }

    /// <summary>The runtime's glob (<c>*</c>, <c>?</c>), so tests and diffs resolve as a run does.</summary>
    public static bool Matches(string pattern, string name) =>
        new ShrinkerRuleSet(pattern, new Dictionary<HookId, Delegate>(), new Dictionary<HookId, RuleOrigin>()).Matches(name);
}
