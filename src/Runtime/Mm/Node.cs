namespace Policyc.Runtime.Mm;

/// <summary>
/// pg_data_t: one NUMA node's contiguous range of page frames and its populated zones, in index
/// order. Its zonelist (node_zonelists[0]) is what an allocation from one of the node's CPUs walks.
/// </summary>
public sealed class Node
{
    public readonly int Id;
    public readonly int StartPfn;
    public readonly int EndPfn;
    /// <summary>node_zones: DMA, DMA32, Normal, in index order; only populated zones.</summary>
    public readonly Zone[] Zones;

    /// <summary>
    /// The zonelist in node order: this node's zones from the highest down, then each other node's
    /// in the order build_zonelists picks them. Set once every node exists.
    /// </summary>
    public Zone[] Zonelist { get; internal set; } = [];

    public Node(int id, int startPfn, int endPfn, Zone[] zones)
    {
        Id = id;
        StartPfn = startPfn;
        EndPfn = endPfn;
        Zones = zones;
    }

    /// <summary>The preferred zone of an allocation that may use any zone (classzone_idx): the node's highest.</summary>
    public Zone HighestZone => Zones[^1];

    public bool Contains(int pfn) => pfn >= StartPfn && pfn < EndPfn;
}
