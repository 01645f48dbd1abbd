using Policyc.Runtime.Policy;

namespace Policyc.EndToEnd.Tests.Fixtures;

/// <summary>Policy tables built directly with the contract's builder, for views that show rules.</summary>
public static class SampleTables
{
    static bool No(in HookContext _) => false;
    static long Zero(in HookContext _) => 0;
    static ShrinkAction Run(in HookContext _) => ShrinkAction.Run;
    static ShrinkAction Defer(in HookContext _) => ShrinkAction.Defer;

    /// <summary>Every hook answers a constant; each rule has an origin in <c>policies/sample.rpol</c>, line = hook number.</summary>
    public static PolicyTable Constant()
    {
        var builder = new PolicyTableBuilder("sample-fix").WithLineage(["sample-fix", "sample"]);
        foreach (var hook in HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker))
            builder.Set(hook.Id, RuleFor(hook.Returns), Origin(hook, "sample"));

        var specific = new Dictionary<HookId, Delegate> { [HookId.ShrinkerAction] = new PolicyHook<ShrinkAction>(Defer) };
        builder.AddShrinkerSection("sb-*", specific, specific.Keys.ToDictionary(id => id, id => Origin(HookCatalog.Get(id), "sample-fix")));
        var all = HookCatalog.All.Where(h => h.Section == PolicySection.Shrinker).ToDictionary(h => h.Id, h => RuleFor(h.Returns));
        builder.AddShrinkerSection("*", all, all.Keys.ToDictionary(id => id, id => Origin(HookCatalog.Get(id), "sample")));
        return builder.Build();
    }

    static Delegate RuleFor(PolicyType type) => type switch
    {
        PolicyType.Bool => new PolicyHook<bool>(No),
        PolicyType.ShrinkAction => new PolicyHook<ShrinkAction>(Run),
        PolicyType.Gfp => throw new NotSupportedException("no hook returns a GFP mask"),
        _ => new PolicyHook<long>(Zero),
    };

    static RuleOrigin Origin(HookDescriptor hook, string policy) =>
        new(policy, $"policies/{policy}.rpol", (int)hook.Id + 1, 5, $"{hook.Name} =\n    false;");
}
