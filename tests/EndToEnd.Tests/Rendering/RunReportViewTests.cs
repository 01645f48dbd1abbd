using ApprovalTests;
using ApprovalTests.Reporters;
using ApprovalTests.Reporters.TestFrameworks;
using Policyc.Cli.Rendering;
using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Rendering;

[UseReporter(typeof(XUnit2Reporter))]
public class RunReportViewTests
{
    [Fact]
    public void Seed_report_reads_like_the_original_with_the_quoted_figures_beside()
    {
        Approvals.Verify(RenderedText.Of(RunReportView.Render(SampleReports.SeedLivelock())));
    }

    [Fact]
    public void Small_report_without_livelock()
    {
        Approvals.Verify(RenderedText.Of(RunReportView.Render(SampleReports.SmallCompleted())));
    }
}
