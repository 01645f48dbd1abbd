using Policyc.Compiler.Text;

namespace Policyc.Compiler.Testing;

/// <summary>A policy and the file holding tests of it (the policy's own file for test blocks beside it).</summary>
public sealed record TestUnit(string PolicyPath, string TestsPath);

/// <summary>
/// Finds tests: each NAME.rpol with its own test blocks, and each NAME.test.rpol, which tests
/// NAME.rpol beside it. A directory is searched recursively; files are taken in ordinal order so
/// runs and reports are stable.
/// </summary>
public static class TestDiscovery
{
    public const string TestSuffix = ".test.rpol";

    /// <summary>One level of a directory, as `find` lists it: symbolic links are not followed, so a link back up the tree (as under /proc) cannot loop.</summary>
    static readonly EnumerationOptions OneLevel = new()
    {
        AttributesToSkip = FileAttributes.ReparsePoint,
        MatchCasing = MatchCasing.CaseSensitive,
        IgnoreInaccessible = false,
    };

    /// <summary>
    /// The units under <paramref name="paths"/>. A directory that cannot be read (no permission, or
    /// gone while it was walked) is passed over, as `find` does, and added to <paramref name="unreadable"/>.
    /// </summary>
    public static IReadOnlyList<TestUnit> Find(IEnumerable<string> paths, List<(string Directory, string Why)>? unreadable = null)
    {
        var units = new List<TestUnit>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                // Spelled as the user would ("x.rpol", not "./x.rpol"), so a file reached through a
                // directory and the same file reached as a base give one diagnostic.
                foreach (var file in PolicyFilesUnder(path, unreadable ?? []).Select(Paths.Display).Order(StringComparer.Ordinal))
                    units.Add(UnitOf(file));
            }
            else
                units.AddRange(WithTestFile(path).Select(UnitOf));
        }
        return units.Distinct().ToArray();
    }

    static List<string> PolicyFilesUnder(string root, List<(string Directory, string Why)> unreadable)
    {
        var files = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var directory))
        {
            try
            {
                files.AddRange(Directory.EnumerateFiles(directory, "*.rpol", OneLevel));
                foreach (var child in Directory.EnumerateDirectories(directory, "*", OneLevel).Order(StringComparer.Ordinal).Reverse())
                    pending.Push(child);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                unreadable.Add((directory, FileErrors.Reason(e)));
            }
        }
        return files;
    }

    /// <summary>The file named and, for a policy, the NAME.test.rpol beside it when there is one: naming a policy names its tests too.</summary>
    public static IEnumerable<string> WithTestFile(string path)
    {
        yield return path;
        string sibling = TestFileOf(path);
        if (!IsTestFile(path) && File.Exists(sibling))
            yield return sibling;
    }

    public static bool IsTestFile(string path) => path.EndsWith(TestSuffix, StringComparison.Ordinal);

    /// <summary>NAME.test.rpol for NAME.rpol.</summary>
    public static string TestFileOf(string policyPath) =>
        policyPath.EndsWith(".rpol", StringComparison.Ordinal) ? policyPath[..^".rpol".Length] + TestSuffix : policyPath + TestSuffix;

    /// <summary>NAME.rpol for NAME.test.rpol.</summary>
    public static string PolicyOf(string testPath) => testPath[..^TestSuffix.Length] + ".rpol";

    /// <summary>The unit a file makes: a test file tests NAME.rpol, a policy tests itself.</summary>
    public static TestUnit UnitOf(string file) =>
        IsTestFile(file) ? new TestUnit(PolicyOf(file), file) : new TestUnit(file, file);
}
