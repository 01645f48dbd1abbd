using Policyc.Cli.Rendering;
using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Rendering;

public class CompareViewTests
{
    static string[] Row(string text, string measure)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(measure + "  ", StringComparison.Ordinal));
        return line[measure.Length..].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Fact]
    public void One_column_per_policy_in_the_order_given()
    {
        var text = RenderedText.Of(CompareView.Render([SampleReports.SeedLivelock(), SampleReports.SmallCompleted("linux-3.14-fix")]));
        Assert.Equal(["linux-3.13", "linux-3.14-fix"], text.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["livelock", "completed"], Row(text, "verdict"));
        Assert.Equal(["300.5 s", "-"], Row(text, "livelock onset"));
        Assert.Equal(["3604.3 s (drop_caches 2)", "-"], Row(text, "livelock ended"));
        Assert.Equal(["35.0%", "1.5%"], Row(text, "CPU in scan_swap_map"));
        Assert.Equal(["46.1%", "-"], Row(text, "scan_swap_map CPU, livelock"));
        Assert.Equal(["12.81M / 12.81M", "0 / 0"], Row(text, "swap scans / failed"));
        Assert.Equal(["3.63/s", "0/s"], Row(text, "deadlock messages per second"));
        Assert.Equal(["120443", "50000"], Row(text, "kswapd slab objects freed"));
        Assert.Equal(["91.5% / 2.5%", "0.0% / 0.0%"], Row(text, "kswapd asleep / in D state"));
        Assert.Equal(["1.60M / 1.60M", "0 / 0"], Row(text, "direct reclaim skip/shrink"));
        Assert.Equal(["12.81M", "0"], Row(text, "direct reclaim anon scanned"));
        Assert.Equal(["0 / 0", "7 / 2"], Row(text, "direct compaction / succeeded"));
        Assert.Equal(["12 of 12", "-"], Row(text, "report's bounds met"));
    }
}
