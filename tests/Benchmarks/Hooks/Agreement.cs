using Policyc.Runtime.Policy;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// A speed comparison means something only between implementations of the same rule: before timing,
/// every implementation must give the baseline's answer on every input of the mix.
/// </summary>
public static class Agreement
{
    public static void Require(string hook, HookContext[] contexts, HookLoop baseline, params (string Name, HookLoop Loop)[] others)
    {
        foreach (var (name, loop) in others)
            if (FirstDifference(contexts, baseline, loop) is int i)
                throw new InvalidOperationException(
                    $"{hook}: {name} answers {loop.Evaluate(in contexts[i])} where the hand-written rule answers {baseline.Evaluate(in contexts[i])} (input {i})");
    }

    public static int? FirstDifference(HookContext[] contexts, HookLoop a, HookLoop b)
    {
        for (int i = 0; i < contexts.Length; i++)
            if (a.Evaluate(in contexts[i]) != b.Evaluate(in contexts[i]))
                return i;
        return null;
    }
}
