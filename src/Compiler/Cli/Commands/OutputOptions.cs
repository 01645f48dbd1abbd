using System.CommandLine;
using Policyc.Cli.Output;
using Policyc.Cli.Plotting;
using Policyc.Cli.Rendering;
using Spectre.Console;

namespace Policyc.Cli.Commands;

/// <summary><c>--json FILE</c> and <c>--plot FILE.svg|.png</c>, checked before a run starts so a typo costs no run.</summary>
public sealed class OutputOptions
{
    readonly Option<string?> json = new("--json")
    {
        Description = "Write the full report as JSON (written atomically: a failed run never destroys a previous file); '-' writes it to standard output and the console report to standard error",
        HelpName = "FILE",
    };

    readonly Option<string?> plot = new("--plot")
    {
        Description = "Plot memory, swap and progress over virtual time (.svg or .png)",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(json);
        command.Options.Add(plot);
    }

    public string? JsonPath(ParseResult parse) => parse.GetValue(json);

    /// <summary>Where the console report goes: standard error when standard output carries the JSON, so a pipe gets JSON only.</summary>
    public IAnsiConsole ReportConsole(ParseResult parse) => JsonPath(parse) == ReportFiles.StandardOutput ? Consoles.Stderr() : Consoles.Stdout();

    public string? PlotPath(ParseResult parse) => parse.GetValue(plot);

    /// <summary>Checks both paths; <paramref name="inputs"/> are the files the command reads, which they must not name.</summary>
    public void Check(ParseResult parse, IReadOnlyList<string> inputs)
    {
        if (PlotPath(parse) is { } plotPath)
        {
            PlotFile.CheckPath(plotPath);
            OutputPath.CheckFile("--plot", plotPath, inputs);
        }
        if (JsonPath(parse) is { } jsonPath && jsonPath != ReportFiles.StandardOutput)
        {
            OutputPath.CheckFile("--json", jsonPath, inputs);
            if (PlotPath(parse) is { } plot && OutputPath.SameTarget(jsonPath, plot))
                throw CliException.Usage($"--json {jsonPath} and --plot {plot} name the same file; the plot would replace the report");
        }
    }
}
