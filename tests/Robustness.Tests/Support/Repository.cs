namespace Policyc.Robustness.Tests.Support;

/// <summary>Finds the repository from the test binaries, for the shipped policies.</summary>
static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Policies => Path.Combine(Root, "policies");

    public static string Linux313 => Path.Combine(Policies, "linux-3.13.rpol");

    /// <summary>The shipped policies' texts, by file name, in a stable order.</summary>
    public static IReadOnlyList<(string Name, string Text)> ShippedPolicies { get; } =
        Directory.GetFiles(Policies, "*.rpol")
            .Where(f => !f.EndsWith(".test.rpol", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .ToArray();

    /// <summary>The shipped test files (NAME.test.rpol), by file name, in a stable order.</summary>
    public static IReadOnlyList<(string Name, string Text)> ShippedTestFiles { get; } =
        Directory.GetFiles(Policies, "*.test.rpol")
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .ToArray();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Policy.sln")))
                return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Policy.sln) above the test binaries");
    }
}
