using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// The memory summary as procps-3.3 <c>free</c> printed it in 2014 (KiB, with the "-/+ buffers/cache"
/// line), optionally with a reference machine's figures under each line.
/// </summary>
public static class FreeView
{
    public static IRenderable Render(MemoryReport memory, MemoryReport? reference = null, string referenceLabel = "report")
    {
        var table = PlainTable.Create(("", Justify.Left), ("total", Justify.Right), ("used", Justify.Right), ("free", Justify.Right),
            ("shared", Justify.Right), ("buffers", Justify.Right), ("cached", Justify.Right));

        table.AddRow(null, MemRow("Mem:", memory));
        if (reference is not null)
            table.AddRow(PlainTable.ReferenceStyle, MemRow($"  {referenceLabel}", reference));
        table.AddRow(null, BuffersCacheRow(memory));
        if (reference is not null)
            table.AddRow(PlainTable.ReferenceStyle, BuffersCacheRow(reference, $"  {referenceLabel}"));
        table.AddRow(null, SwapRow("Swap:", memory));
        if (reference is not null)
            table.AddRow(PlainTable.ReferenceStyle, SwapRow($"  {referenceLabel}", reference));
        return table;
    }

    // The simulated machine has no shmem, so "shared" is always 0 (as it was on the reported machine).
    static string[] MemRow(string label, MemoryReport m) =>
        [label, Units.Integer(m.TotalKb), Units.Integer(m.UsedKb), Units.Integer(m.FreeKb), "0", Units.Integer(m.BuffersKb), Units.Integer(m.CachedKb)];

    static string[] BuffersCacheRow(MemoryReport m, string label = "-/+ buffers/cache:") =>
        [label, "", Units.Integer(m.UsedKb - m.BuffersKb - m.CachedKb), Units.Integer(m.FreeKb + m.BuffersKb + m.CachedKb), "", "", ""];

    static string[] SwapRow(string label, MemoryReport m) =>
        [label, Units.Integer(m.SwapTotalKb), Units.Integer(m.SwapUsedKb), Units.Integer(m.SwapFreeKb), "", "", ""];
}
