using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Binding;

/// <summary>
/// The type of a bound expression: a <see cref="PolicyType"/>, or <see cref="Error"/> after a
/// reported error (which silences follow-on errors).
/// </summary>
public readonly record struct BoundType(PolicyType? Policy)
{
    public static readonly BoundType Error = new(null);
    public static readonly BoundType Bool = new(PolicyType.Bool);
    public static readonly BoundType Count = new(PolicyType.Count);
    public static readonly BoundType Pages = new(PolicyType.Pages);
    public static readonly BoundType Bytes = new(PolicyType.Bytes);
    public static readonly BoundType Duration = new(PolicyType.Duration);
    public static readonly BoundType Percent = new(PolicyType.Percent);
    public static readonly BoundType Gfp = new(PolicyType.Gfp);
    public static readonly BoundType ShrinkAction = new(PolicyType.ShrinkAction);

    public static implicit operator BoundType(PolicyType type) => new(type);

    public bool IsError => Policy is null;

    /// <summary>Numbers that carry a unit or none: the types arithmetic and ordering apply to.</summary>
    public bool IsNumeric => Policy is PolicyType.Count or PolicyType.Pages or PolicyType.Bytes or PolicyType.Duration or PolicyType.Percent;

    public override string ToString() => Policy switch
    {
        null => "?",
        PolicyType.Bool => "bool",
        PolicyType.Count => "a count",
        PolicyType.Pages => "pages",
        PolicyType.Bytes => "bytes",
        PolicyType.Duration => "a duration",
        PolicyType.Percent => "a percentage",
        PolicyType.Gfp => "a GFP mask",
        PolicyType.ShrinkAction => "a shrinker action (run, defer, skip)",
        _ => Policy.ToString()!,
    };
}
