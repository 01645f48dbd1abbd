using Policyc.Compiler;
using Policyc.Compiler.Diagnostics;
using Policyc.Runtime.Policy;

namespace Policyc.Cli.Commands;

/// <summary>Loads a policy for running: compiled (through the build cache) or interpreted, diagnostics to stderr.</summary>
public static class PolicyLoading
{
    public static PolicyTable Load(string path, bool interpret)
    {
        if (!File.Exists(path))
            throw new CliException(Directory.Exists(path) ? $"{path}: is a directory, not a policy file" : $"{path}: no such policy file");

        var result = PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = interpret });
        // Warnings are worth seeing before a long run; errors explain the exit code.
        if (result.Diagnostics.Count > 0)
            DiagnosticFormatter.WriteConsole(result.Diagnostics, Console.Error);
        return result.Table ?? throw new CliException($"{path}: the policy has errors; nothing was run");
    }
}
