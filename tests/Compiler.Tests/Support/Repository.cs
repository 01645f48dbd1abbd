namespace Policyc.Compiler.Tests.Support;

/// <summary>Finds the repository from the test binaries, for the shipped policies and approved snapshots.</summary>
static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Policies => Path.Combine(Root, "policies");

    public static string Snapshots => Path.Combine(Root, "tests", "Compiler.Tests", "Snapshots");

    public static string TestPolicies => Path.Combine(Root, "tests", "Compiler.Tests", "Policies");

    public static string Linux313 => Path.Combine(Policies, "linux-3.13.rpol");

    /// <summary>Policies that are not fixes but probes of the report's kernel, with their tests.</summary>
    public static string ExamplePolicies => Path.Combine(Root, "examples", "policies");

    /// <summary>The shipped policy files, in ordinal order; not their tests (NAME.test.rpol).</summary>
    public static IEnumerable<string> PolicyFiles() =>
        Directory.GetFiles(Policies, "*.rpol")
            .Where(f => !f.EndsWith(".test.rpol", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Every shipped test file (NAME.test.rpol), for theories that cover each one.</summary>
    public static TheoryData<string> ShippedTestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Policies, "*.test.rpol").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    /// <summary>Every shipped policy, for theories that cover each one.</summary>
    public static TheoryData<string> ShippedPolicies()
    {
        var data = new TheoryData<string>();
        foreach (var file in PolicyFiles())
            data.Add(Path.GetFileName(file));
        return data;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Policy.sln")))
                return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Policy.sln) above the test binaries");
    }
}
