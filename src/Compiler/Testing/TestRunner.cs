using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Interpretation;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Runtime;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Scenarios;

namespace Policyc.Compiler.Testing;

/// <summary>
/// Runs the tests of policy files: decision tests through the interpreter (which reports to a
/// <see cref="CoverageRecorder"/> which rules and branches decided), scenario tests as simulation
/// runs of the compiled policy. Nothing here prints; the CLI renders the <see cref="TestRunResult"/>.
/// </summary>
public sealed class TestRunner
{
    readonly CoverageRecorder coverage = new();
    readonly DiagnosticBag diagnostics = new();
    readonly Dictionary<string, BoundPolicy> tested = new(StringComparer.Ordinal);
    readonly Dictionary<(string, ScenarioRun), RunReport> runs = [];
    readonly PolicyLoadOptions loadOptions;

    TestRunner(PolicyLoadOptions loadOptions) => this.loadOptions = loadOptions;

    public static TestRunResult Run(IEnumerable<string> paths, PolicyLoadOptions? loadOptions = null)
    {
        var runner = new TestRunner(loadOptions ?? new PolicyLoadOptions());
        var results = new List<TestResult>();
        var unreadable = new List<(string Directory, string Why)>();
        foreach (var unit in TestDiscovery.Find(paths, unreadable))
            results.AddRange(runner.RunUnit(unit));
        // One line for them all: walking / meets hundreds under /proc.
        if (unreadable.Count > 0)
            runner.diagnostics.ReportFileNotReadable(Paths.Display(unreadable[0].Directory), unreadable[0].Why +
                (unreadable.Count > 1 ? $" (and {unreadable.Count - 1} more directories); tests under them were not run" : "; tests under it were not run"));
        var files = runner.tested
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => FileCoverage.Of(t.Value, Paths.Display(t.Key), runner.coverage))
            .ToArray();
        return new TestRunResult(results, runner.diagnostics.ToSortedList(), files);
    }

    /// <summary>
    /// Binds the tests in <paramref name="path"/> (a policy's own, or a NAME.test.rpol's) against the
    /// policy they test, and runs none: what <c>policyc check</c> reports for tests.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(string path)
    {
        var runner = new TestRunner(new PolicyLoadOptions());
        runner.BindUnit(TestDiscovery.UnitOf(path));
        return runner.diagnostics.ToSortedList();
    }

    IEnumerable<TestResult> RunUnit(TestUnit unit) =>
        BindUnit(unit) is { } tests ? tests.Select(t => RunTest(t, unit.PolicyPath)).ToArray() : [];

    /// <summary>The unit's tests bound against its policy, or null when either has errors (in <see cref="diagnostics"/>).</summary>
    IReadOnlyList<BoundTest>? BindUnit(TestUnit unit)
    {
        // As strict as a policy: a test file is shared as text too.
        if (SourceFile.ReadReporting(unit.TestsPath, diagnostics) is not { } source)
            return null;
        var testTree = SyntaxTree.Parse(SourceText.From(source, unit.TestsPath));
        bool inline = unit.TestsPath == unit.PolicyPath;
        if (!inline)
        {
            diagnostics.AddRange(testTree.Diagnostics);
            if (!File.Exists(unit.PolicyPath))
            {
                var at = testTree.Tests.Count > 0 ? testTree.Tests[0].Name.Span : new TextSpan(0, 0);
                diagnostics.ReportNothingToTest(new TextLocation(testTree.Text, at), Paths.Display(unit.PolicyPath));
                return null;
            }
        }
        var compilation = PolicyCompilation.Load(unit.PolicyPath);
        if (compilation.Policy is not { } policy)
        {
            diagnostics.AddRange(compilation.Diagnostics.Where(d => d.IsError));
            return null;
        }
        tested.TryAdd(Path.GetFullPath(unit.PolicyPath), policy);
        if (testTree.HasErrors)
            return null;
        return TestBinder.Bind(testTree, policy, diagnostics);
    }

    TestResult RunTest(BoundTest test, string policyPath)
    {
        var failures = new List<TestFailure>();
        try
        {
            if (test.Scenario is { } scenario)
            {
                var report = RunScenario(policyPath, scenario);
                foreach (var expectation in test.Expectations)
                    CheckMetric(test, expectation, report, failures);
            }
            else
            {
                var context = TestContextBuilder.Build(test.Givens);
                foreach (var expectation in test.Expectations)
                    CheckDecision(test, expectation, context, failures);
            }
        }
        catch (PolicyFault fault)
        {
            failures.Add(new TestFailure(test.Location, $"the policy faulted at {fault.Origin}: {fault.Message}"));
            return new TestResult(test, TestOutcome.Error, failures);
        }
        return new TestResult(test, failures.Count == 0 ? TestOutcome.Passed : TestOutcome.Failed, failures);
    }

    void CheckDecision(BoundTest test, BoundExpectation expectation, in HookContext context, List<TestFailure> failures)
    {
        var target = (HookTarget)expectation.Target;
        var at = new TextLocation(test.Text, expectation.Span);
        if (RuleResolver.Resolve(test.Policy, target.Hook.Id, target.Shrinker) is not { } rule)
        {
            failures.Add(new TestFailure(at, $"no shrinker section of '{test.Policy.Name}' matching \"{target.Shrinker}\" states '{target.Hook.Name}'"));
            return;
        }
        long actual = Interpreter.Run(rule, test.Policy.Directory, context, coverage);
        if (expectation.Holds(actual))
            return;
        var origin = rule.OriginRelativeTo(Directory.GetCurrentDirectory());
        failures.Add(new TestFailure(at,
            $"expected {target.Display} {BoundExpectation.Symbol(expectation.Comparison)} {ValueText.Format(expectation.Expected, target.Type)}, " +
            $"got {ValueText.Format(actual, target.Type)}\n    decided by {origin.File}({origin.Line},{origin.Column}): {origin.Text}"));
    }

    static void CheckMetric(BoundTest test, BoundExpectation expectation, RunReport report, List<TestFailure> failures)
    {
        var metric = ((MetricTarget)expectation.Target).Metric;
        var at = new TextLocation(test.Text, expectation.Span);
        long? actual = metric.Read(report);
        if (actual is long value && expectation.Holds(value))
            return;
        string Show(long v) => metric.Name != "verdict" ? ValueText.Format(v, metric.Type)
            : v >= 0 && v < RunMetric.Verdicts.Count ? RunMetric.Verdicts[(int)v] : report.Verdict;
        string got = actual is long a ? Show(a) : "nothing (the run did not produce it)";
        failures.Add(new TestFailure(at,
            $"expected {metric.Name} {BoundExpectation.Symbol(expectation.Comparison)} {Show(expectation.Expected)}, got {got}\n" +
            $"    in the run of {report.Policy} on {report.Scenario}, seed {report.Seed}: verdict {report.Verdict}, " +
            $"{report.Progress.FilesRemoved} of {report.Progress.FilesTotal} files removed in {report.SimulatedSeconds:0.#} s"));
    }

    RunReport RunScenario(string policyPath, ScenarioRun run)
    {
        string key = Path.GetFullPath(policyPath);
        if (runs.TryGetValue((key, run), out var cached))
            return cached;
        var load = PolicyLoader.Load(policyPath, loadOptions);
        var table = load.Table ?? throw new InvalidOperationException($"{policyPath} bound but did not build");
        var scenario = BuiltinScenarios.Get(run.Scenario);
        scenario = scenario with
        {
            Seed = run.Seed ?? scenario.Seed,
            Duration = run.DurationNs ?? scenario.Duration,
            Nodes = run.Nodes ?? scenario.Nodes,
        };
        var report = Simulation.Run(table, scenario, new RunOptions());
        runs[(key, run)] = report;
        return report;
    }
}
