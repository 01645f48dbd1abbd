using Policyc.Cli;
using Policyc.Cli.Plotting;
using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Plotting;

public sealed class PlotTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("policyc-plot-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Run_plot_is_written_as_svg_with_every_series_and_the_livelock_window()
    {
        var path = Path.Combine(directory, "run.svg");
        PlotFile.Save(RunPlot.Create(SampleReports.SeedLivelock()), path);
        var svg = File.ReadAllText(path);
        Assert.Contains("<svg", svg);
        foreach (var label in new[] { "free", "slab", "swap used", "files removed", "livelock", "drop_caches 2" })
            Assert.Contains(label, svg);
        Assert.DoesNotContain(">workload<", svg);   // only events from outside the workload are marked
    }

    [Fact]
    public void Run_plot_is_written_as_png()
    {
        var path = Path.Combine(directory, "run.png");
        PlotFile.Save(RunPlot.Create(SampleReports.SmallCompleted()), path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path)[..4]);
    }

    [Fact]
    public void Compare_plot_has_a_line_per_policy()
    {
        var path = Path.Combine(directory, "compare.svg");
        PlotFile.Save(ComparePlot.Create([SampleReports.SeedLivelock(), SampleReports.SmallCompleted("linux-3.14-fix")]), path);
        var svg = File.ReadAllText(path);
        Assert.Contains("linux-3.13 (livelock)", svg);
        Assert.Contains("linux-3.14-fix (completed)", svg);
        Assert.Contains("linux-3.13 vs linux-3.14-fix on", svg);
        Assert.Contains("files removed (%), dashed", svg);
    }

    [Fact]
    public void Compare_plot_of_many_policies_counts_them_in_the_title_and_names_each_once_in_the_legend()
    {
        var path = Path.Combine(directory, "compare-many.svg");
        var reports = Enumerable.Range(1, 10).Select(i => SampleReports.SmallCompleted($"fix-candidate-number-{i}")).ToList();
        PlotFile.Save(ComparePlot.Create(reports), path);
        var svg = File.ReadAllText(path);
        Assert.Contains("10 policies on", svg);
        Assert.DoesNotContain(" vs ", svg);
        foreach (var i in Enumerable.Range(1, 10))
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(svg, $"fix-candidate-number-{i} \\(completed\\)"));
    }

    [Theory]
    [InlineData("plot.pdf")]
    [InlineData("plot")]
    public void Other_extensions_are_a_usage_error(string name)
    {
        var error = Assert.Throws<CliException>(() => PlotFile.CheckPath(name));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }
}
