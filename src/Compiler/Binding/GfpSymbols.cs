using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Binding;

/// <summary>
/// GFP names a policy may use, from the contract's <see cref="Gfp"/> enum and
/// <see cref="GfpMasks.Named"/>: flags bare (<c>FS</c>) or as in gfp.h (<c>__GFP_FS</c>), masks as
/// in gfp.h (<c>GFP_NOFS</c>).
/// </summary>
public static class GfpSymbols
{
    static readonly Dictionary<string, Gfp> Names = Build();

    static Dictionary<string, Gfp> Build()
    {
        var names = new Dictionary<string, Gfp>(StringComparer.Ordinal);
        foreach (var flag in Enum.GetValues<Gfp>())
        {
            if (flag == Gfp.None)
                continue;
            names[flag.ToString()] = flag;
            names["__GFP_" + flag] = flag;
        }
        foreach (var (name, mask) in GfpMasks.Named)
            names[name] = mask;
        return names;
    }

    public static bool TryGet(string name, out Gfp value) => Names.TryGetValue(name, out value);

    public static IEnumerable<string> AllNames => Names.Keys;

    /// <summary>The single flags set in a mask, in bit order: how generated code spells a mask.</summary>
    public static IEnumerable<Gfp> Flags(Gfp mask) =>
        Enum.GetValues<Gfp>().Where(f => f != Gfp.None && (mask & f) == f && ((uint)f & ((uint)f - 1)) == 0);
}
