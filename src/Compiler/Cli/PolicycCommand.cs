using System.CommandLine;

namespace Policyc.Cli;

/// <summary>The root command: wires the subcommands together.</summary>
public static class PolicycCommand
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("policyc: compile and simulate Linux memory-reclaim policies");
        return root.Parse(args).Invoke();
    }
}
