namespace Policyc.Cli;

/// <summary>The exit codes of every policyc command (docs/cli.md lists them for users).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;
    /// <summary>The policy or the scenario is wrong (diagnostics, an impossible value, a missing file), or the run failed.</summary>
    public const int Failure = 1;
    /// <summary>The command line itself is wrong: an unknown flag, a missing argument, a value that does not parse.</summary>
    public const int Usage = 2;
    /// <summary>A bug in policyc: an exception nobody expected. The message says how to get the stack trace.</summary>
    public const int InternalError = 70;
    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it); what was measured is still written.</summary>
    public const int Interrupted = 130;
}
