using System.Diagnostics;

namespace Policyc.EndToEnd.Tests.Fixtures;

/// <summary>The outcome of one policyc process.</summary>
public sealed record PolicycResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the built policyc (copied beside the tests by the project reference) as a separate process,
/// from the repository root, with its output redirected: exactly what a user or a script sees.
/// </summary>
public static class PolicycProcess
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static PolicycResult Run(params string[] args) => RunIn(RepositoryRoot, args);

    public static PolicycResult RunIn(string workingDirectory, params string[] args) => RunWith(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs policyc with extra environment variables (a locale, say).</summary>
    public static PolicycResult RunWith(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(workingDirectory, args);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        return Wait(process, args, stdout, stderr);
    }

    /// <summary>
    /// Runs policyc through sh with <paramref name="redirection"/> after it (<c>&gt; /dev/full</c>,
    /// <c>&gt;&amp;-</c>): what a user's shell does to standard output before policyc starts.
    /// </summary>
    public static PolicycResult RunWithRedirection(string redirection, params string[] args)
    {
        static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
        var start = StartInfo(RepositoryRoot, []);
        string command = string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList).Concat(args).Select(Quote)) + " " + redirection;
        var shell = new ProcessStartInfo("sh") { WorkingDirectory = RepositoryRoot, RedirectStandardError = true, RedirectStandardInput = true };
        shell.ArgumentList.Add("-c");
        shell.ArgumentList.Add(command);
        foreach (var (name, value) in start.Environment)
            if (value is not null)
                shell.Environment[name] = value;
        using var process = Process.Start(shell)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        return Wait(process, args, Task.FromResult(""), stderr);
    }

    /// <summary>Starts policyc without waiting, for tests that interact with the running process.</summary>
    public static Process Start(string workingDirectory, params string[] args) => Process.Start(StartInfo(workingDirectory, args))!;

    static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "policyc.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    public static PolicycResult Wait(Process process, string[] args, Task<string> stdout, Task<string> stderr)
    {
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"policyc {string.Join(' ', args)} did not finish");
        }
        return new PolicycResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    // `dotnet test` tells the test host which dotnet it runs on; fall back to the one on PATH.
    static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Policy.sln")))
                return dir.FullName;
        throw new InvalidOperationException("the tests must run inside the repository (no Policy.sln above the test binaries)");
    }
}
