using Policyc.Compiler;
using Policyc.Compiler.Diagnostics;
using Policyc.Runtime.Policy;

namespace Policyc.Cli.Commands;

/// <summary>Loads a policy for running: compiled (through the build cache) or interpreted, diagnostics to stderr.</summary>
public static class PolicyLoading
{
    public static PolicyTable Load(string path, bool interpret) =>
        LoadUnlessTests(path, interpret) ?? throw new CliException(TestsOnly(path));

    /// <summary>
    /// Like <see cref="Load"/>, but a file of tests alone (a NAME.test.rpol) gives null rather than an
    /// error, so that a command given a glob can pass over it with one compilation per file.
    /// </summary>
    public static PolicyTable? LoadUnlessTests(string path, bool interpret)
    {
        RequireFile(path);

        var result = PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = interpret });
        if (result.HoldsOnlyTests)
            return null;
        // Warnings are worth seeing before a long run; errors explain the exit code.
        if (result.Diagnostics.Count > 0)
            DiagnosticFormatter.WriteConsole(result.Diagnostics, Console.Error);
        return result.Table ?? throw new CliException($"{path}: the policy has errors; nothing was run");
    }

    /// <summary>A policy path that is missing or a directory is the user's error, said as such.</summary>
    public static void RequireFile(string path)
    {
        if (!File.Exists(path))
            throw new CliException(Directory.Exists(path) ? $"{path}: is a directory, not a policy file" : $"{path}: no such policy file");
    }

    /// <summary>What a command that needs a policy says about a file of tests.</summary>
    public static string TestsOnly(string path) => $"{path}: holds tests, not a policy; run them with `policyc test {path}`";
}
