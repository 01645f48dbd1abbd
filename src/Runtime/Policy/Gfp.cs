namespace Policyc.Runtime.Policy;

/// <summary>
/// GFP flag bits with their Linux 3.13 values (include/linux/gfp.h), so a mask printed by the
/// simulation (for example "mode:0x8250") means what it means in a kernel log.
/// </summary>
[Flags]
public enum Gfp : uint
{
    None = 0,
    DMA = 0x01,
    HIGHMEM = 0x02,
    DMA32 = 0x04,
    MOVABLE = 0x08,
    WAIT = 0x10,
    HIGH = 0x20,
    IO = 0x40,
    FS = 0x80,
    COLD = 0x100,
    NOWARN = 0x200,
    REPEAT = 0x400,
    NOFAIL = 0x800,
    NORETRY = 0x1000,
    MEMALLOC = 0x2000,
    COMP = 0x4000,
    ZERO = 0x8000,
    NOMEMALLOC = 0x10000,
    HARDWALL = 0x20000,
    THISNODE = 0x40000,
    RECLAIMABLE = 0x80000,
    NOTRACK = 0x200000,
    NO_KSWAPD = 0x400000,
    OTHER_NODE = 0x800000,
    WRITE = 0x1000000,
}

/// <summary>The named masks of gfp.h that a policy may use by name.</summary>
public static class GfpMasks
{
    public const Gfp GFP_NOWAIT = Gfp.None;
    public const Gfp GFP_ATOMIC = Gfp.HIGH;
    public const Gfp GFP_NOIO = Gfp.WAIT;
    public const Gfp GFP_NOFS = Gfp.WAIT | Gfp.IO;
    public const Gfp GFP_KERNEL = Gfp.WAIT | Gfp.IO | Gfp.FS;
    public const Gfp GFP_TEMPORARY = Gfp.WAIT | Gfp.IO | Gfp.FS | Gfp.RECLAIMABLE;
    public const Gfp GFP_USER = Gfp.WAIT | Gfp.IO | Gfp.FS | Gfp.HARDWALL;
    public const Gfp GFP_HIGHUSER = GFP_USER | Gfp.HIGHMEM;
    public const Gfp GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | Gfp.MOVABLE;

    /// <summary>Every named mask, for the compiler's symbol table and for decision grids.</summary>
    public static IReadOnlyDictionary<string, Gfp> Named { get; } = new Dictionary<string, Gfp>
    {
        [nameof(GFP_NOWAIT)] = GFP_NOWAIT,
        [nameof(GFP_ATOMIC)] = GFP_ATOMIC,
        [nameof(GFP_NOIO)] = GFP_NOIO,
        [nameof(GFP_NOFS)] = GFP_NOFS,
        [nameof(GFP_KERNEL)] = GFP_KERNEL,
        [nameof(GFP_TEMPORARY)] = GFP_TEMPORARY,
        [nameof(GFP_USER)] = GFP_USER,
        [nameof(GFP_HIGHUSER)] = GFP_HIGHUSER,
        [nameof(GFP_HIGHUSER_MOVABLE)] = GFP_HIGHUSER_MOVABLE,
    };

    /// <summary>Prints a mask the way the kernel's warnings do: "0x8250".</summary>
    public static string Format(Gfp mask) => "0x" + ((uint)mask).ToString("x");

    /// <summary>
    /// A mask as gfp.h would spell it: the largest named mask it contains, then its other flags in
    /// bit order, then the number (<c>GFP_NOFS|__GFP_NOWARN|__GFP_ZERO (0x8250)</c>).
    /// </summary>
    public static string Describe(Gfp mask)
    {
        var (name, named) = Named
            .Where(n => (mask & n.Value) == n.Value)
            .OrderByDescending(n => BitCount(n.Value))
            .First();
        var rest = Enum.GetValues<Gfp>()
            .Where(f => f != Gfp.None && BitCount(f) == 1 && (mask & f) == f && (named & f) == 0)
            .Select(f => "__GFP_" + f);
        return string.Join("|", rest.Prepend(name)) + " (" + Format(mask) + ")";
    }

    static int BitCount(Gfp mask) => System.Numerics.BitOperations.PopCount((uint)mask);
}
