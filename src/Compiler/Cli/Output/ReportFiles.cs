using System.Text.Json;
using Policyc.Cli.Plotting;
using Policyc.Cli.Reporting;
using Policyc.Runtime.Reporting;

namespace Policyc.Cli.Output;

/// <summary>The files a run or a comparison writes, each atomically.</summary>
public static class ReportFiles
{
    public static void WriteJson(string path, RunReport report) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, report, RunReportJson.Default.RunReport));

    public static void WriteJson(string path, CompareReport report) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, report, CompareReportJson.Default.CompareReport));

    public static void WritePlot(string path, RunReport report) => PlotFile.Save(RunPlot.Create(report), path);

    public static void WritePlot(string path, IReadOnlyList<RunReport> reports) => PlotFile.Save(ComparePlot.Create(reports), path);
}
