namespace Policyc.Benchmarks.Processes;

/// <summary>
/// How to start policyc: the checkout's <c>./policyc</c> launcher (what a user runs, the default), or a
/// built <c>policyc.dll</c> through <c>dotnet</c> (CI's smoke run, which must not wait for a publish).
/// </summary>
public sealed record PolicycLauncher(string FileName, IReadOnlyList<string> Prefix, string Description)
{
    public static PolicycLauncher For(string repository, string? path)
    {
        if (string.IsNullOrEmpty(path))
            return new PolicycLauncher(Path.Combine(repository, "policyc"), [], "./policyc");
        string full = Path.GetFullPath(path, repository);
        return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new PolicycLauncher("dotnet", [full], "dotnet " + Path.GetRelativePath(repository, full))
            : new PolicycLauncher(full, [], Path.GetRelativePath(repository, full));
    }

    public ProcessRun Run(string repository, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        TimedProcess.Run(repository, environment, FileName, [.. Prefix, .. arguments]);
}
