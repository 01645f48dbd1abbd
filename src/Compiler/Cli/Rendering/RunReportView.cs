using Policyc.Cli.Reporting;
using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// The whole console report of one run, in the order a kernel developer reads a livelock report: what
/// ran, the machine during the livelock (free, slabtop, perf, dmesg, kswapd, vmstat), the machine at the end,
/// progress and events, and last the verdict. On the report's machine (<c>seed</c>, <c>seed-minimal</c>
/// and scenario files built on them) the figures of the original report are shown in grey under the
/// simulated ones, and the run is held against the reproduction's bounds at the very end.
/// </summary>
public static class RunReportView
{
    public static void Write(IAnsiConsole console, RunReport report)
    {
        foreach (var part in Render(report))
            console.Write(part);
    }

    public static IEnumerable<IRenderable> Render(RunReport report)
    {
        var seed = SeedReport.AppliesTo(report);
        yield return Header(report);
        if (seed)
            yield return new Text($"grey rows: {SeedReport.Citation}\n", Style.Parse(PlainTable.ReferenceStyle));

        if (report.DuringLivelock is { } during)
        {
            yield return PlainTable.Heading($"During the livelock: {Units.Seconds(during.FromS)} to {Units.Seconds(during.ToS)}");
            foreach (var part in Snapshot(during, seed, duringLivelock: true))
                yield return part;
        }
        // The report's figures were taken during the livelock; with no livelock, show them beside the end state.
        // A run stopped in its set-up never started the rm's clock: its window is the set-up, timed from boot.
        yield return PlainTable.Heading(report.SetupUnfinished is { } phase
            ? $"At the stop, in the set-up ({phase}): {Units.Seconds(report.End.ToS)} after boot (rates over the whole set-up)"
            : $"At the end: {Units.Seconds(report.End.ToS)} (rates over {Units.Seconds(report.End.FromS)} to {Units.Seconds(report.End.ToS)})");
        foreach (var part in Snapshot(report.End, seed && report.DuringLivelock is null, duringLivelock: false))
            yield return part;

        yield return PlainTable.Heading("Progress");
        yield return ProgressSummaryView.Render(report);
        yield return Text.NewLine;
        yield return PlainTable.Heading("Verdict");
        yield return VerdictView.Render(report);
        if (SeedBounds.AppliesTo(report))
        {
            yield return Text.NewLine;
            yield return PlainTable.Heading("Against the report's bounds");
            yield return SeedBoundsView.Render(SeedBounds.Check(report));
        }
    }

    static IRenderable Header(RunReport report)
    {
        var lineage = report.Lineage.Count > 1 ? $" extends {string.Join(" ← ", report.Lineage.Skip(1))}" : "";
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]policy[/] {Markup.Escape(report.Policy + lineage)}   [bold]scenario[/] {Markup.Escape(report.Scenario)}   [bold]seed[/] {report.Seed}"),
        };
        if (ScenarioSummary.Settings(report.Scenario, report.ScenarioBase, report.ScenarioSettings) is { } settings)
            rows.Add(new Markup($"[bold]settings[/] {Markup.Escape(settings)}"));
        string simulated = report.SetupUnfinished is null
            ? Units.Duration(report.SimulatedSeconds)
            : $"{Units.Duration(report.End.ToS)} of set-up";
        rows.Add(new Text($"simulated {simulated} in {Units.Duration(report.WallSeconds)} of wall time ({Units.Integer(report.EventsProcessed)} events)\n"));
        return new Rows(rows);
    }

    static IEnumerable<IRenderable> Snapshot(Snapshot snapshot, bool withSeedReference, bool duringLivelock)
    {
        yield return Caption("free (KiB)");
        yield return FreeView.Render(snapshot.Memory, withSeedReference ? SeedReport.Free : null);
        if (snapshot.Swap is { } swap)
            yield return SwapInfoView.Render(swap);
        if (snapshot.XfsBuffers is { } buffers)
            yield return XfsBufView.Render(buffers);
        yield return Caption("slabtop");
        yield return SlabTopView.Render(snapshot.Slab, withSeedReference ? SeedReport.Slab : null);
        if (snapshot.Zones.Count > 0)
        {
            yield return Caption("buddyinfo (free blocks per order) and watermarks, in pages");
            yield return BuddyInfoView.Render(snapshot.Zones);
            yield return Caption("zoneinfo: the LRU lists, in pages");
            yield return ZoneLruView.Render(snapshot.Zones);
            // The zones are as they were at the window's end: they explain the failures only while
            // the machine stayed stuck, not over a whole run that recovered.
            if (duringLivelock && AllocFailureView.MostFrequent(snapshot) is { } failing)
            {
                yield return Caption($"why kmem_alloc gets NULL: order-{failing.Order} requests failed {Units.Integer(failing.Count)} times ({failing.PerSecond:0.##}/s)");
                yield return AllocFailureView.Render(snapshot.Zones, failing.Order);
                yield return new Text(AllocFailureView.Legend + "\n", Style.Parse(PlainTable.ReferenceStyle));
                if (DirectReclaimView.Any(snapshot))
                {
                    yield return Caption($"what direct reclaim did with each zone ({Units.Seconds(snapshot.FromS)} to {Units.Seconds(snapshot.ToS)})");
                    yield return DirectReclaimView.Render(snapshot.Zones, snapshot.DirectReclaim, failing.Order);
                    yield return new Text(DirectReclaimView.Legend + "\n", Style.Parse(PlainTable.ReferenceStyle));
                }
            }
        }
        yield return Caption($"perf report (top {ProfileView.DefaultRows}); reclaim {Units.Share(snapshot.ReclaimCpuPercent)} of all CPU time");
        yield return ProfileView.Render(snapshot.Profile, withSeedReference ? SeedReport.TopProfileEntry : null);
        yield return Caption("kernel messages");
        yield return MessagesView.Render(snapshot.Messages, withSeedReference);
        yield return Caption("kswapd");
        yield return KswapdView.Render(snapshot.Kswapd);
        if (snapshot.Vmstat.Count > 0)
        {
            yield return Caption("vmstat (events over the window)");
            yield return VmstatView.Render(snapshot.Vmstat);
        }
        yield return Text.NewLine;
    }

    static IRenderable Caption(string text) => new Markup($"\n[underline]{Markup.Escape(text)}[/]\n");
}
