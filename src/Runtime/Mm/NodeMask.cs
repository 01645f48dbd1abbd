namespace Policyc.Runtime.Mm;

/// <summary>nodemask_t: a set of node ids, as shrink_control.nodes_to_scan carries it.</summary>
public readonly record struct NodeMask(ulong Bits)
{
    public static NodeMask Of(int node) => new(1UL << node);

    /// <summary>Nodes 0 to <paramref name="count"/> - 1 (nodes_setall over the online nodes).</summary>
    public static NodeMask All(int count) => new(count >= 64 ? ulong.MaxValue : (1UL << count) - 1);

    public bool Contains(int node) => (Bits >> node & 1) != 0;

    public NodeMask With(int node) => new(Bits | 1UL << node);
}
