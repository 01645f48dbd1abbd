using System.Text.Json;
using System.Text.Json.Nodes;
using Policyc.Cli.Plotting;
using Policyc.Cli.Reporting;
using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Reporting;

namespace Policyc.Cli.Output;

/// <summary>The files a run or a comparison writes, each atomically; JSON goes to standard output for "-".</summary>
public static class ReportFiles
{
    /// <summary>The <c>--json</c> value that means standard output, as for most Unix tools.</summary>
    public const string StandardOutput = "-";

    public static void WriteJson(string path, RunReport report) =>
        WriteJson(path, stream => WriteIndented(stream, RunJson(report)));

    public static void WriteJson(string path, CompareReport report) =>
        WriteJson(path, stream =>
        {
            var json = JsonSerializer.SerializeToNode(report, CompareReportJson.Default.CompareReport)!.AsObject();
            json["runs"] = new JsonArray([.. report.Runs.Select(RunJson)]);
            WriteIndented(stream, json);
        });

    /// <summary>
    /// A run report as JSON; on the report's machine with <c>report_bounds</c> added, the
    /// reproduction's bounds as the console shows them, so the file alone says which hold.
    /// </summary>
    static JsonObject RunJson(RunReport report)
    {
        var json = JsonSerializer.SerializeToNode(report, RunReportJson.Default.RunReport)!.AsObject();
        if (SeedBounds.AppliesTo(report))
            json["report_bounds"] = JsonSerializer.SerializeToNode(SeedBounds.Check(report), SeedBoundsJson.Default.IReadOnlyListBoundCheck);
        return json;
    }

    static void WriteIndented(Stream stream, JsonNode json)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteTo(writer);
    }

    static void WriteJson(string path, Action<Stream> write)
    {
        if (path != StandardOutput)
        {
            AtomicFile.Write(path, write);
            Console.Error.WriteLine($"policyc: wrote {path}");
            return;
        }
        Console.Out.Flush();
        try
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            stdout.Write("\n"u8);
            stdout.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StandardOutputException(e);
        }
    }

    public static void WritePlot(string path, RunReport report) => WritePlot(path, RunPlot.Create(report));

    public static void WritePlot(string path, IReadOnlyList<RunReport> reports) => WritePlot(path, ComparePlot.Create(reports));

    static void WritePlot(string path, ScottPlot.Plot plot)
    {
        PlotFile.Save(plot, path);
        Console.Error.WriteLine($"policyc: wrote {path}");
    }
}
