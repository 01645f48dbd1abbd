namespace Policyc.Runtime.Policy;

/// <summary>
/// Assembles a <see cref="PolicyTable"/> and checks it is complete and well typed: every non-shrinker
/// hook has a delegate of the right type, and a <c>shrinker "*"</c> section states every shrinker hook.
/// </summary>
public sealed class PolicyTableBuilder(string policyName)
{
    readonly Delegate?[] hooks = new Delegate?[Enum.GetValues<HookId>().Length];
    readonly RuleOrigin?[] origins = new RuleOrigin?[Enum.GetValues<HookId>().Length];
    readonly List<ShrinkerRuleSet> shrinkers = [];
    readonly List<string> lineage = [policyName];

    public PolicyTableBuilder WithLineage(IEnumerable<string> policyAndBases)
    {
        lineage.Clear();
        lineage.AddRange(policyAndBases);
        return this;
    }

    public PolicyTableBuilder Set(HookId id, Delegate rule, RuleOrigin? origin = null)
    {
        var descriptor = HookCatalog.Get(id);
        if (descriptor.Section == PolicySection.Shrinker)
            throw new ArgumentException($"{descriptor.QualifiedName} belongs in a shrinker section", nameof(id));
        CheckType(descriptor, rule);
        hooks[(int)id] = rule;
        origins[(int)id] = origin;
        return this;
    }

    public PolicyTableBuilder AddShrinkerSection(string pattern, IReadOnlyDictionary<HookId, Delegate> rules, IReadOnlyDictionary<HookId, RuleOrigin> ruleOrigins)
    {
        foreach (var (id, rule) in rules)
        {
            var descriptor = HookCatalog.Get(id);
            if (descriptor.Section != PolicySection.Shrinker)
                throw new ArgumentException($"{descriptor.QualifiedName} is not a shrinker rule", nameof(rules));
            CheckType(descriptor, rule);
        }
        shrinkers.Add(new ShrinkerRuleSet(pattern, rules, ruleOrigins));
        return this;
    }

    public PolicyTable Build()
    {
        var missing = HookCatalog.All
            .Where(h => h.Section != PolicySection.Shrinker && hooks[(int)h.Id] is null)
            .Select(h => h.QualifiedName)
            .ToList();
        var catchAll = shrinkers.Where(s => s.Pattern == "*").SelectMany(s => s.Rules.Keys).ToHashSet();
        missing.AddRange(HookCatalog.All
            .Where(h => h.Section == PolicySection.Shrinker && !catchAll.Contains(h.Id))
            .Select(h => $"shrinker \"*\".{h.Name}"));
        if (missing.Count > 0)
            throw new InvalidOperationException($"policy '{lineage[0]}' does not define: {string.Join(", ", missing)}");
        return new PolicyTable(lineage[0], lineage.ToArray(), hooks!, origins, shrinkers.ToArray());
    }

    static void CheckType(HookDescriptor descriptor, Delegate rule)
    {
        var expected = typeof(PolicyHook<>).MakeGenericType(PolicyTypes.ClrType(descriptor.Returns));
        if (rule.GetType() != expected)
            throw new ArgumentException($"{descriptor.QualifiedName} needs a {expected.Name}<{PolicyTypes.ClrType(descriptor.Returns).Name}>, got {rule.GetType().Name}");
    }
}
