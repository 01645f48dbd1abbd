using Policyc.Runtime.Policy;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// Calls one rule once per context and folds the results into a number, so no call can be dropped.
/// One loop per result type: the type test happens once per pass, not per call.
/// </summary>
public sealed class HookLoop
{
    readonly PolicyHook<bool>? asBool;
    readonly PolicyHook<long>? asLong;
    readonly PolicyHook<ShrinkAction>? asAction;

    public HookLoop(Delegate rule)
    {
        switch (rule)
        {
            case PolicyHook<bool> b: asBool = b; break;
            case PolicyHook<long> l: asLong = l; break;
            case PolicyHook<ShrinkAction> a: asAction = a; break;
            default: throw new ArgumentException($"unexpected rule type {rule.GetType()}", nameof(rule));
        }
    }

    public long Run(HookContext[] contexts)
    {
        if (asBool is not null)
            return RunBool(asBool, contexts);
        if (asLong is not null)
            return RunLong(asLong, contexts);
        return RunAction(asAction!, contexts);
    }

    /// <summary>The rule's answer for one context, widened to long, for comparing implementations.</summary>
    public long Evaluate(in HookContext context) =>
        asBool is not null ? (asBool(in context) ? 1 : 0)
        : asLong is not null ? asLong(in context)
        : (long)asAction!(in context);

    static long RunBool(PolicyHook<bool> rule, HookContext[] contexts)
    {
        long sum = 0;
        for (int i = 0; i < contexts.Length; i++)
            if (rule(in contexts[i]))
                sum++;
        return sum;
    }

    static long RunLong(PolicyHook<long> rule, HookContext[] contexts)
    {
        long sum = 0;
        for (int i = 0; i < contexts.Length; i++)
            sum += rule(in contexts[i]);
        return sum;
    }

    static long RunAction(PolicyHook<ShrinkAction> rule, HookContext[] contexts)
    {
        long sum = 0;
        for (int i = 0; i < contexts.Length; i++)
            sum += (long)rule(in contexts[i]);
        return sum;
    }
}
