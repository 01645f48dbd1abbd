using System.Globalization;
using System.CommandLine;
using Policyc.Compiler.Text;
using Policyc.Cli.Output;

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
        root.Subcommands.Add(Commands.DiffCommand.Create());
        root.Subcommands.Add(Commands.SweepCommand.Create());
        root.Subcommands.Add(Commands.BundleCommand.Create());
        return root;
    }

    static int NoCommand(ParseResult _) => throw CliException.Usage("no command given (try 'policyc --help')");

    public static int Run(string[] args)
    {
        // Reports, JSON and messages read the same whatever the user's locale ("199.96/s", never
        // "199,96/s"): they are compared across machines, and diffed.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        GuardedStandardOutput.Install();
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"policyc: error: {OneLine(error.Message)}");
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
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // compare runs policies in parallel: report the one failure, not its wrapper.
            return Report(e.InnerExceptions[0]);
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>A user error as one line with its exit code; anything else as an internal error without a stack trace.</summary>
    static int Report(Exception e)
    {
        if (e is CliException user)
        {
            Console.Error.WriteLine($"policyc: error: {OneLine(user.Message)}");
            return user.ExitCode;
        }
        if (e is StandardOutputException stdout)
        {
            Console.Error.WriteLine($"policyc: error: {OneLine(stdout.Message)}");
            return ExitCodes.Failure;
        }
        if (e is OutOfMemoryException || e is AggregateException all && all.Flatten().InnerExceptions.All(x => x is OutOfMemoryException))
        {
            // Not a bug: the simulated machine and tree did not fit (docs/cli.md gives a run's size).
            Console.Error.WriteLine("policyc: error: out of memory: the simulation needs more than this process may use; " +
                                    "run fewer at once (compare and sweep: --jobs N) or a smaller scenario");
            return ExitCodes.Failure;
        }
        Console.Error.WriteLine($"policyc: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
        if (Environment.GetEnvironmentVariable(TraceVariable) == "1")
            Console.Error.WriteLine(e);
        else
            Console.Error.WriteLine($"This is a bug in policyc; run again with {TraceVariable}=1 for the stack trace.");
        return ExitCodes.InternalError;
    }

    /// <summary>
    /// An error message as one printable line: a character the user typed or a file held that would
    /// break or hide it (a newline in --set name=…, a NUL in a scenario value, a bidi override) is
    /// shown escaped, as diagnostics quote it, not sent to the terminal.
    /// </summary>
    internal static string OneLine(string message)
    {
        if (!message.Any(TerminalText.Hides))
            return message;
        var sb = new System.Text.StringBuilder(message.Length + 8);
        foreach (char c in message)
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when TerminalText.Hides(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.ToString();
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
