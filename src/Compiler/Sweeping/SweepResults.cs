using System.Text.Json;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// Results as JSON lines: appended one line per finished cell (so an interrupted sweep keeps what it
/// ran), read back with line numbers in errors, and merged: the rows of every file, one per cell id
/// (a later line replaces an earlier one), in cell order. Merging the shards of a sweep gives the
/// same file as merging the unsharded sweep's output.
/// </summary>
public static class SweepResults
{
    public static IReadOnlyList<SweepRow> Read(string path)
    {
        if (Directory.Exists(path))
            throw new SweepException($"{path}: is a directory, not a results file");
        if (!File.Exists(path))
            throw new SweepException($"{path}: no such results file");
        var rows = new List<SweepRow>();
        int number = 0;
        try
        {
            foreach (var line in Lines(path))
            {
                number++;
                if (line is null)
                    throw new SweepException($"{path}({number},1): not a sweep result line: longer than {MaxLineLength} characters");
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                SweepRow row;
                try
                {
                    row = SweepRow.FromJsonLine(line) ?? throw new JsonException("null");
                }
                catch (JsonException e)
                {
                    // System.Text.Json appends " Path: $ | LineNumber: …", which points into the line, not the file.
                    string why = e.Message.Split(" Path: ")[0];
                    throw new SweepException($"{path}({number},1): not a sweep result line: {why}");
                }
                if (row.Problem() is { } problem)
                    throw new SweepException($"{path}({number},1): not a sweep result line: {problem}");
                rows.Add(row);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{path}: cannot read the results: {Text.FileErrors.Reason(e)}");
        }
        return rows;
    }

    /// <summary>A row is well under a kilobyte; a line far longer is not one (and /dev/zero's first line never ends).</summary>
    const int MaxLineLength = 1 << 16;

    /// <summary>The file's lines, each null once it has run past <see cref="MaxLineLength"/> (and then no more lines).</summary>
    static IEnumerable<string?> Lines(string path)
    {
        // Opened without blocking: a named pipe without a writer reads as an empty file.
        using var reader = new StreamReader(Runtime.Scenarios.StrictText.Open(path));
        var line = new System.Text.StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                char c = buffer[i];
                if (c == '\n')
                {
                    yield return line.ToString().TrimEnd('\r');
                    line.Clear();
                }
                else if (line.Length == MaxLineLength)
                {
                    yield return null;
                    yield break;
                }
                else
                    line.Append(c);
            }
        }
        if (line.Length > 0)
            yield return line.ToString().TrimEnd('\r');
    }

    public static IReadOnlyList<SweepRow> Merge(IEnumerable<IEnumerable<SweepRow>> sources)
    {
        var byId = new Dictionary<string, SweepRow>(StringComparer.Ordinal);
        foreach (var source in sources)
            foreach (var row in source)
                byId[row.Id] = row;
        return Order(byId.Values);
    }

    /// <summary>
    /// Runs of cell numbers below the highest one merged that no row has, in order: a shard's file
    /// left out of the merge. (Missing cells past the highest cannot be seen; rows do not carry the
    /// grid's size.) Found from the gaps between the rows' cells, so a row with a very large cell
    /// costs no more than any other.
    /// </summary>
    public static IReadOnlyList<(int From, int To)> MissingCells(IReadOnlyList<SweepRow> rows)
    {
        var gaps = new List<(int From, int To)>();
        int next = 0;
        foreach (int cell in rows.Select(r => r.Cell).Distinct().Order())
        {
            if (cell > next)
                gaps.Add((next, cell - 1));
            next = cell + 1;
        }
        return gaps;
    }

    public static IReadOnlyList<SweepRow> Order(IEnumerable<SweepRow> rows) =>
        rows.OrderBy(r => r.Cell).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray();

    /// <summary>Rows as a whole JSON-lines text (the merge output), one row per line.</summary>
    public static string ToText(IEnumerable<SweepRow> rows) =>
        string.Concat(rows.Select(r => r.ToJsonLine() + "\n"));

    /// <summary>
    /// Appends lines from parallel runs, one whole line at a time, flushed as each cell ends. The file
    /// is opened with the first row, so a sweep that fails before any cell ends (a policy with errors,
    /// a missing scenario) leaves no empty file behind.
    /// </summary>
    public sealed class Appender(string path) : IDisposable
    {
        readonly Lock gate = new();
        StreamWriter? writer;

        public void Add(SweepRow row)
        {
            lock (gate)
            {
                writer ??= new StreamWriter(path, append: true);
                writer.WriteLine(row.ToJsonLine());
                writer.Flush();
            }
        }

        public void Dispose()
        {
            lock (gate)
                writer?.Dispose();
        }
    }
}
