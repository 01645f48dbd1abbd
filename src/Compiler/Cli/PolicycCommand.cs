using System.CommandLine;

namespace Policyc.Cli;

/// <summary>
/// The root command: registers the subcommands, turns parse errors into exit code 2 and user errors
/// into one line on stderr, so no command ever ends in a stack trace.
/// </summary>
public static class PolicycCommand
{
    /// <summary>Set to 1 to print the stack trace of an internal error (for bug reports).</summary>
    const string TraceVariable = "POLICYC_TRACE";

    public static RootCommand Create()
    {
        var root = new RootCommand("policyc: compile and simulate Linux memory-reclaim policies");
        root.SetAction(NoCommand);
        root.Subcommands.Add(Commands.BuildCommand.Create());
        root.Subcommands.Add(Commands.CheckCommand.Create());
        root.Subcommands.Add(Commands.FmtCommand.Create());
        root.Subcommands.Add(Commands.RunCommand.Create());
        root.Subcommands.Add(Commands.CompareCommand.Create());
        root.Subcommands.Add(Commands.TestCommand.Create());
        return root;
    }

    static int NoCommand(ParseResult _) => throw CliException.Usage("no command given (try 'policyc --help')");

    public static int Run(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"policyc: error: {error.Message}");
            Console.Error.WriteLine($"Try '{UsageHint(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            // Commands handle their own errors and Ctrl-C (a run must still write what it measured).
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return parse.Invoke(configuration);
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"policyc: error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"policyc: internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable(TraceVariable) == "1")
                Console.Error.WriteLine(e);
            else
                Console.Error.WriteLine($"This is a bug in policyc; run again with {TraceVariable}=1 for the stack trace.");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>"policyc run" for an error in the run command's arguments, so the hint points at the right help.</summary>
    static string UsageHint(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        names[0] = "policyc";
        return string.Join(' ', names);
    }
}
