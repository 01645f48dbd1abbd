using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Policyc.Benchmarks.Processes;

/// <summary>What one measured process run took: wall time from outside, peak RSS from GNU time.</summary>
public sealed record ProcessRun(double WallSeconds, double PeakRssMb, int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs a command as a user would and measures it: wall time with a stopwatch around the whole process
/// (host start included), peak resident memory from <c>/usr/bin/time -v</c> ("Maximum resident set size").
/// </summary>
public static partial class TimedProcess
{
    const string GnuTime = "/usr/bin/time";

    public static bool CanMeasureMemory => File.Exists(GnuTime);

    public static ProcessRun Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string command, params string[] arguments)
    {
        bool measureMemory = CanMeasureMemory;
        var info = new ProcessStartInfo(measureMemory ? GnuTime : command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (measureMemory)
        {
            info.ArgumentList.Add("-v");
            info.ArgumentList.Add(command);
        }
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        string err = stderr.Result;
        double rssMb = measureMemory && MaxRss().Match(err) is { Success: true } m
            ? Math.Round(long.Parse(m.Groups[1].Value) / 1024.0, 1)
            : double.NaN;
        return new ProcessRun(Math.Round(wall, 3), rssMb, process.ExitCode, stdout.Result, err);
    }

    /// <summary>The command's own stderr, without GNU time's report (for error messages).</summary>
    public static string CommandStderr(ProcessRun run)
    {
        int report = run.Stderr.IndexOf("\tCommand being timed:", StringComparison.Ordinal);
        return (report >= 0 ? run.Stderr[..report] : run.Stderr).Trim();
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();
}
