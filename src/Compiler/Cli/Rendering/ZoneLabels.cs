using Policyc.Runtime.Reporting;

namespace Policyc.Cli.Rendering;

/// <summary>
/// How the zone tables name a zone: "Normal" on a one-node machine, "Node 1 Normal" (as
/// /proc/zoneinfo's "Node 1, zone Normal") when the machine has several nodes.
/// </summary>
public static class ZoneLabels
{
    public static bool IsNuma(IEnumerable<ZoneReport> zones) => zones.Any(z => z.Node > 0);

    public static string Label(string zone, int node, bool numa) => numa ? $"Node {node} {zone}" : zone;

    public static string Label(ZoneReport zone, bool numa) => Label(zone.Name, zone.Node, numa);
}
