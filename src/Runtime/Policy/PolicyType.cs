namespace Policyc.Runtime.Policy;

/// <summary>
/// The types a policy value can have. Every numeric type is carried as a <see cref="long"/> at run
/// time; the distinction exists so the checker can reject unit mistakes (bytes vs pages vs time).
/// </summary>
public enum PolicyType
{
    /// <summary><c>bool</c>.</summary>
    Bool,
    /// <summary>A plain number: an order, a retry count, an object count. CLR type <see cref="long"/>.</summary>
    Count,
    /// <summary>A number of 4 KiB pages. CLR type <see cref="long"/>.</summary>
    Pages,
    /// <summary>A size in bytes. CLR type <see cref="long"/>.</summary>
    Bytes,
    /// <summary>A duration or a point in virtual time, in nanoseconds. CLR type <see cref="long"/>.</summary>
    Duration,
    /// <summary>A percentage, 100 meaning 100%. CLR type <see cref="long"/>.</summary>
    Percent,
    /// <summary>A GFP mask. CLR type <see cref="Gfp"/>.</summary>
    Gfp,
    /// <summary>What a shrinker does when called. CLR type <see cref="ShrinkAction"/>.</summary>
    ShrinkAction,
}

/// <summary>What shrink_slab does with one shrinker for one call.</summary>
public enum ShrinkAction
{
    /// <summary>Scan the shrinker's objects in batches.</summary>
    Run,
    /// <summary>Scan nothing now: the work is added to the shrinker's <c>nr_deferred</c> (SHRINK_STOP).</summary>
    Defer,
    /// <summary>Do not consider the shrinker at all: nothing is scanned and nothing is deferred.</summary>
    Skip,
}

public static class PolicyTypes
{
    public const long PageSize = 4096;

    /// <summary>The CLR type that carries values of a policy type at run time.</summary>
    public static Type ClrType(PolicyType type) => type switch
    {
        PolicyType.Bool => typeof(bool),
        PolicyType.Gfp => typeof(Gfp),
        PolicyType.ShrinkAction => typeof(ShrinkAction),
        _ => typeof(long),
    };
}
