namespace Policyc.Runtime.Policy;

/// <summary>The rules of one <c>shrinker "pattern" { … }</c> section; hooks it does not state are null.</summary>
public sealed class ShrinkerRuleSet(string pattern, IReadOnlyDictionary<HookId, Delegate> rules, IReadOnlyDictionary<HookId, RuleOrigin> origins)
{
    public string Pattern { get; } = pattern;
    public IReadOnlyDictionary<HookId, Delegate> Rules { get; } = rules;
    public IReadOnlyDictionary<HookId, RuleOrigin> Origins { get; } = origins;

    /// <summary>Glob match: <c>*</c> any run of characters, <c>?</c> one character.</summary>
    public bool Matches(string shrinkerName) => Glob(Pattern, shrinkerName);

    /// <summary>
    /// The glob match without backtracking into every '*': only the last '*' seen is retried, one
    /// character further each time, which is enough (a later '*' can take whatever an earlier one
    /// would). Time is at most pattern length x name length; recursion on every '*' was exponential
    /// ("*a*a*a*…c" against a long run of 'a').
    /// </summary>
    public static bool Glob(string pattern, string name)
    {
        int p = 0, s = 0, star = -1, resume = 0;
        while (s < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[s]) && pattern[p] != '*')
            {
                p++;
                s++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = s;
            }
            else if (star >= 0)
            {
                p = star + 1;
                s = ++resume;
            }
            else
                return false;
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
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
