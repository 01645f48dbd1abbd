namespace Policyc.Runtime.Policy;

/// <summary>The rules of one <c>shrinker "pattern" { … }</c> section; hooks it does not state are null.</summary>
public sealed class ShrinkerRuleSet(string pattern, IReadOnlyDictionary<HookId, Delegate> rules, IReadOnlyDictionary<HookId, RuleOrigin> origins)
{
    public string Pattern { get; } = pattern;
    public IReadOnlyDictionary<HookId, Delegate> Rules { get; } = rules;
    public IReadOnlyDictionary<HookId, RuleOrigin> Origins { get; } = origins;

    /// <summary>Glob match: <c>*</c> any run of characters, <c>?</c> one character.</summary>
    public bool Matches(string shrinkerName) => Glob(Pattern, 0, shrinkerName, 0);

    static bool Glob(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            if (c == '*')
            {
                for (int k = si; k <= s.Length; k++)
                    if (Glob(p, pi + 1, s, k))
                        return true;
                return false;
            }
            if (si >= s.Length || (c != '?' && c != s[si]))
                return false;
            pi++;
            si++;
        }
        return si == s.Length;
    }
}

/// <summary>The shrinker rules resolved for one named shrinker: bound once when the machine registers it.</summary>
public sealed class ShrinkerRules
{
    public required string ShrinkerName { get; init; }
    public required PolicyHook<ShrinkAction> Action { get; init; }
    public required PolicyHook<long> Batch { get; init; }
    public required PolicyHook<long> Seeks { get; init; }
    public required PolicyHook<bool> ScanBelowBatch { get; init; }
    public required PolicyHook<bool> ScanByPriority { get; init; }
    public required IReadOnlyDictionary<HookId, RuleOrigin> Origins { get; init; }
}
