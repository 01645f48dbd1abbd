namespace Policyc.Compiler.Text;

/// <summary>
/// The text of one .rpol file with its line starts, so any offset maps to a 1-based line and column.
/// Columns count UTF-16 code units, as editors that speak LSP do.
/// </summary>
public sealed class SourceText
{
    readonly int[] lineStarts;

    SourceText(string text, string path)
    {
        Text = text;
        Path = path;
        lineStarts = ComputeLineStarts(text);
    }

    public string Text { get; }

    /// <summary>The path as the user named it (or as resolved from an <c>extends</c>).</summary>
    public string Path { get; }

    public int Length => Text.Length;

    public int LineCount => lineStarts.Length;

    public static SourceText From(string text, string path = "<input>") => new(text, path);

    public char this[int index] => Text[index];

    public string ToString(TextSpan span) => Text.Substring(span.Start, Math.Min(span.Length, Text.Length - span.Start));

    /// <summary>0-based index of the line that holds <paramref name="position"/>.</summary>
    public int GetLineIndex(int position)
    {
        int index = Array.BinarySearch(lineStarts, position);
        return index >= 0 ? index : ~index - 1;
    }

    public LinePosition GetLinePosition(int position)
    {
        position = Math.Clamp(position, 0, Text.Length);
        int line = GetLineIndex(position);
        return new LinePosition(line + 1, position - lineStarts[line] + 1);
    }

    /// <summary>The text of a 0-based line without its line break.</summary>
    public string GetLineText(int lineIndex)
    {
        int start = lineStarts[lineIndex];
        int end = lineIndex + 1 < lineStarts.Length ? lineStarts[lineIndex + 1] : Text.Length;
        while (end > start && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
            end--;
        return Text[start..end];
    }

    public int GetLineStart(int lineIndex) => lineStarts[lineIndex];

    static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                i++;
            if (c == '\n' || c == '\r')
                starts.Add(i + 1);
        }
        return starts.ToArray();
    }
}

/// <summary>A 1-based line and column.</summary>
public readonly record struct LinePosition(int Line, int Column);
