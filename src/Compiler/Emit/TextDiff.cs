using System.Text;

namespace Policyc.Compiler.Emit;

/// <summary>A line diff for snapshot mismatches: unified style, a few lines of context.</summary>
public static class TextDiff
{
    public static string Unified(string expected, string actual, string expectedName, string actualName, int context = 3)
    {
        string[] a = Split(expected), b = Split(actual);
        var ops = Diff(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(expectedName).Append('\n');
        sb.Append("+++ ").Append(actualName).Append('\n');
        int i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }
            int start = Math.Max(0, i - context);
            int end = i;
            // Extend the hunk while changes are within 2 * context lines of each other.
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    end++;
                    continue;
                }
                int run = end;
                while (run < ops.Count && ops[run].Kind == ' ')
                    run++;
                if (run < ops.Count && run - end <= 2 * context)
                    end = run;
                else
                    break;
            }
            int stop = Math.Min(ops.Count, end + context);
            sb.Append($"@@ -{ops[start].A + 1} +{ops[start].B + 1} @@\n");
            for (int k = start; k < stop; k++)
                sb.Append(ops[k].Kind).Append(ops[k].Text).Append('\n');
            i = stop;
        }
        return sb.ToString();
    }

    static string[] Split(string text) => text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    readonly record struct Op(char Kind, string Text, int A, int B);

    /// <summary>Longest common subsequence over lines; policies' C# is small enough for O(n·m).</summary>
    static List<Op> Diff(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<Op>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
                ops.Add(new Op(' ', a[x], x++, y++));
            // Removed lines before added ones, as diff -u shows them.
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
                ops.Add(new Op('-', a[x], x++, y));
            else
                ops.Add(new Op('+', b[y], x, y++));
        }
        return ops;
    }
}
