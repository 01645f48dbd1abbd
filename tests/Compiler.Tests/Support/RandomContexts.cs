using System.Reflection;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Tests.Support;

/// <summary>
/// Random hook contexts for differential tests: every policy-visible field gets a value drawn from
/// a mix of small, typical, boundary and extreme numbers, so arithmetic faults happen too.
/// Seeded, so a failure is reproducible.
/// </summary>
sealed class RandomContexts(int seed)
{
    readonly Random random = new(seed);

    public HookContext Next()
    {
        object context = new HookContext();
        foreach (var groupField in typeof(HookContext).GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            object group = Activator.CreateInstance(groupField.FieldType)!;
            foreach (var field in groupField.FieldType.GetFields(BindingFlags.Public | BindingFlags.Instance))
                field.SetValue(group, Value(field.FieldType));
            groupField.SetValue(context, group);
        }
        return (HookContext)context;
    }

    object? Value(Type type)
    {
        if (type == typeof(bool))
            return random.Next(2) == 1;
        if (type == typeof(Gfp))
            return (Gfp)(random.Next(4) == 0 ? (uint)random.NextInt64(0, 1L << 32) : (uint)random.Next(0, 0x2000));
        if (type == typeof(long))
            return Number();
        if (type == typeof(long[]))
            return random.Next(5) == 0 ? null : Enumerable.Range(0, 11).Select(_ => (long)random.Next(0, 64)).ToArray();
        throw new InvalidOperationException($"no generator for {type}");
    }

    long Number() => random.Next(10) switch
    {
        0 => 0,
        1 => random.Next(-3, 4),
        2 => random.NextInt64(long.MinValue, long.MaxValue),
        3 => random.Next(2) == 0 ? long.MaxValue : long.MinValue,
        4 => random.NextInt64(0, 1L << 40),
        _ => random.Next(0, 64),
    };
}
