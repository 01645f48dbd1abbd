using System.Globalization;
using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Testing;

/// <summary>Prints a policy value the way an author writes it: <c>true</c>, <c>GFP_NOFS</c>, <c>defer</c>, <c>20ms</c>, <c>4096 pages</c>.</summary>
public static class ValueText
{
    public static string Format(long value, PolicyType type) => type switch
    {
        PolicyType.Bool => value != 0 ? "true" : "false",
        PolicyType.ShrinkAction => ((ShrinkAction)value).ToString().ToLowerInvariant(),
        PolicyType.Gfp => Gfp((Gfp)(uint)value),
        PolicyType.Duration => Duration(value),
        PolicyType.Pages => Number(value) + " pages",
        PolicyType.Bytes => Number(value) + " bytes",
        PolicyType.Percent => Number(value) + "%",
        _ => Number(value),
    };

    static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    static string Duration(long ns) =>
        ns == 0 ? "0s"
        : ns % 1_000_000_000 == 0 ? Number(ns / 1_000_000_000) + "s"
        : ns % 1_000_000 == 0 ? Number(ns / 1_000_000) + "ms"
        : ns % 1_000 == 0 ? Number(ns / 1_000) + "us"
        : Number(ns) + "ns";

    /// <summary>A named gfp.h mask when one matches exactly, else the nearest named mask plus flags.</summary>
    public static string Gfp(Gfp mask)
    {
        foreach (var (name, named) in GfpMasks.Named.OrderByDescending(n => BitCount(n.Value)))
        {
            if (named == mask)
                return name;
            if (named != Runtime.Policy.Gfp.None && (mask & named) == named)
                return name + string.Concat(GfpSymbols.Flags(mask & ~named).Select(f => "|" + f));
        }
        return mask == Runtime.Policy.Gfp.None ? "GFP_NOWAIT" : string.Join("|", GfpSymbols.Flags(mask));
    }

    static int BitCount(Gfp mask) => System.Numerics.BitOperations.PopCount((uint)mask);
}
