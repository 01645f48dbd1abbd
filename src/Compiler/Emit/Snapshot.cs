namespace Policyc.Compiler.Emit;

/// <summary>
/// Approved copies of generated C#: <c>DIR/NAME.g.cs.approved</c>. Comparing tells whether a
/// compiler or policy change altered the generated code; accepting overwrites the approved copy.
/// </summary>
public static class Snapshot
{
    public enum Outcome { Matched, Accepted, Missing, Changed }

    public sealed record Result(Outcome Outcome, string ApprovedPath, string Diff);

    public static string PathFor(string directory, string policyName) =>
        System.IO.Path.Combine(directory, policyName + ".g.cs.approved");

    public static Result Check(string directory, string policyName, string generated, bool accept)
    {
        string path = PathFor(directory, policyName);
        string? approved = File.Exists(path) ? File.ReadAllText(path) : null;
        if (approved is not null && Normalize(approved) == Normalize(generated))
            return new Result(Outcome.Matched, path, "");
        if (accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, generated);
            return new Result(Outcome.Accepted, path, "");
        }
        if (approved is null)
            return new Result(Outcome.Missing, path, "");
        return new Result(Outcome.Changed, path, TextDiff.Unified(approved, generated, path + " (approved)", policyName + ".g.cs (generated)"));
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n');
}
