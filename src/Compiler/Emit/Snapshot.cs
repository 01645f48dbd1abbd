using Policyc.Compiler.Text;

namespace Policyc.Compiler.Emit;

/// <summary>
/// Approved copies of generated C#: <c>DIR/NAME.g.cs.approved</c>. Comparing tells whether a
/// compiler or policy change altered the generated code; accepting overwrites the approved copy.
/// </summary>
public static class Snapshot
{
    public enum Outcome { Matched, Accepted, Missing, Changed, Unreadable }

    /// <summary>The comparison's outcome; <paramref name="Diff"/> for a change, <paramref name="Why"/> for an unreadable approved copy.</summary>
    public sealed record Result(Outcome Outcome, string ApprovedPath, string Diff, string? Why = null);

    /// <summary>Generated C# runs to tens of kilobytes; an approved copy far larger is not one (or is /dev/zero).</summary>
    const int MaxApprovedLength = 4 << 20;

    public static string PathFor(string directory, string policyName) =>
        System.IO.Path.Combine(directory, policyName + ".g.cs.approved");

    /// <summary>
    /// Compares <paramref name="generated"/> with the approved copy; with <paramref name="accept"/>,
    /// writes it as the approved copy through <paramref name="write"/> (the command's atomic writer;
    /// File.WriteAllText when not given).
    /// </summary>
    public static Result Check(string directory, string policyName, string generated, bool accept, Action<string, string>? write = null)
    {
        string path = PathFor(directory, policyName);
        string? approved;
        try
        {
            approved = SourceFile.ReadOrNull(path, MaxApprovedLength, "an approved snapshot");
        }
        catch (SourceFileException e) when (!accept)
        {
            return new Result(Outcome.Unreadable, path, "", e.Message);
        }
        catch (SourceFileException)
        {
            approved = null; // accepting replaces it whatever it held
        }
        if (approved is not null && Normalize(approved) == Normalize(generated))
            return new Result(Outcome.Matched, path, "");
        if (accept)
        {
            Directory.CreateDirectory(directory);
            (write ?? File.WriteAllText)(path, generated);
            return new Result(Outcome.Accepted, path, "");
        }
        if (approved is null)
            return new Result(Outcome.Missing, path, "");
        return new Result(Outcome.Changed, path, TextDiff.Unified(approved, generated, path + " (approved)", policyName + ".g.cs (generated)"));
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n');
}
