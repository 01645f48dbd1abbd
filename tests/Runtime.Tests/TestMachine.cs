using Policyc.Runtime.Mm;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

/// <summary>Builds bare machines for unit tests: the small scenario's shape, shrunk.</summary>
internal static class TestMachine
{
    public static Scenario Tiny(string mem = "64M", string swap = "4M") =>
        BuiltinScenarios.Small
            .WithOverride("mem", mem)
            .WithOverride("swap", swap)
            .WithOverride("kernel-reserved", "0")
            .WithOverride("files", "1000");

    public static Kernel Kernel(Scenario? scenario = null, Action<Policy.PolicyTableBuilder>? change = null) =>
        new(scenario ?? Tiny(), Linux313Handwritten.Build(change));

    /// <summary>Fills every zone with clean page cache until its free pages drop to <paramref name="leaveFree"/>(zone).</summary>
    public static void FillWithPageCache(Kernel k, Func<Zone, long> leaveFree)
    {
        foreach (var zone in k.Zones)
            while (zone.FreePages > leaveFree(zone))
            {
                int pfn = Buddy.Rmqueue(k.Frames, zone, 0, MigrateType.Movable);
                Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.File, -1);
                zone.Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
            }
    }
}
