namespace Policyc.Cli;

/// <summary>
/// An error the user can fix, reported as one line (with a file position when there is one) and an exit
/// code, never a stack trace. Commands throw it; <see cref="PolicycCommand"/> prints it.
/// </summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(message, ExitCodes.Usage);
}
