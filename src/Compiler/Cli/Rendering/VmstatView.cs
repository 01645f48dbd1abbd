using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// /proc/vmstat's reclaim events over a window, three name-value pairs to a line in the kernel's
/// order, so that the zeros a kernel developer looks for (no compact_stall under GFP_NOFS, no
/// slabs_scanned in a livelock) sit beside the counts that did move.
/// </summary>
public static class VmstatView
{
    const int PairsPerLine = 3;

    public static IRenderable Render(IReadOnlyDictionary<string, long> vmstat)
    {
        var columns = Enumerable.Range(0, PairsPerLine).SelectMany(_ => new[] { ("", Justify.Left), ("", Justify.Right) }).ToArray();
        var table = PlainTable.Create(columns);
        table.ShowHeaders = false;
        for (int i = 1; i < columns.Length; i += 2)
            table.Columns[i].Padding = new Padding(0, 0, 4, 0); // a wider gap after each value than inside a pair
        foreach (var line in vmstat.Chunk(PairsPerLine))
        {
            var cells = line.SelectMany(e => new[] { e.Key, Units.Integer(e.Value) }).ToList();
            while (cells.Count < 2 * PairsPerLine)
                cells.Add("");
            table.AddRow(null, [.. cells]);
        }
        return table;
    }
}
