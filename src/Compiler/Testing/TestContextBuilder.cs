using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Testing;

/// <summary>
/// Builds a decision test's <see cref="HookContext"/>: the <see cref="NeutralContext"/>, then the
/// given fields, then the values that follow from them unless given too: node.free follows
/// zone.free, swap.used is swap.total - swap.free, and the zone's free blocks come from zone.free and
/// zone.max_free_order.
/// </summary>
public static class TestContextBuilder
{
    public static HookContext Build(IReadOnlyList<BoundGiven> givens)
    {
        object context = NeutralContext.Create();
        long maxFreeOrder = NeutralContext.MaxOrder;
        foreach (var given in givens)
        {
            if (given.Field is null)
            {
                maxFreeOrder = given.Value;
                continue;
            }
            object group = given.Field.Group.Field.GetValue(context)!;
            given.Field.Field.SetValue(group, FromLong(given.Value, given.Field.Field.FieldType));
            given.Field.Group.Field.SetValue(context, group);
        }
        var c = (HookContext)context;
        bool Given(string name) => givens.Any(g => g.Name == name);
        if (!Given("node.free"))
            c.Node.Free = c.Zone.Free;
        if (!Given("swap.used"))
            c.Swap.Used = Math.Max(0, c.Swap.Total - c.Swap.Free);
        c.Zone.FreeBlocks = NeutralContext.FreeBlocks(c.Zone.Free, maxFreeOrder);
        return c;
    }

    static object FromLong(long value, Type type) =>
        type == typeof(bool) ? value != 0
        : type == typeof(Gfp) ? (Gfp)(uint)value
        : type == typeof(int) ? (int)value
        : value;
}
