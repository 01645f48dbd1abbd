using System.Text;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Rows of cells as plain text in aligned columns, two spaces apart: the first columns (names)
/// left-aligned, the rest (figures) right-aligned. For output that goes to files and pipes as it is.
/// </summary>
public static class TextColumns
{
    public static string Layout(IReadOnlyList<string[]> rows, int leftAligned)
    {
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows)
            sb.AppendLine(string.Join("  ", row.Select((cell, c) => c < leftAligned ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        return sb.ToString();
    }
}
