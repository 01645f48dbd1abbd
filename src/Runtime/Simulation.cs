using System.Diagnostics;
using System.Globalization;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Sim;
using Policyc.Runtime.Workload;

namespace Policyc.Runtime;

/// <summary>Runs a policy on a scenario's simulated machine and reports what happened.</summary>
public static class Simulation
{
    public static RunReport Run(PolicyTable policy, Scenario scenario, RunOptions options,
                                IProgress<RunProgress>? progress = null, CancellationToken cancel = default)
    {
        scenario.Validate();
        if (options.SampleIntervalS <= 0)
            throw new ArgumentException("the sample interval must be positive", nameof(options));
        return new Run(policy, scenario, options, progress, cancel).Execute();
    }
}

/// <summary>One run: the machine, its director, the sampling clock and the report at the end.</summary>
internal sealed class Run
{
    readonly Kernel k;
    readonly Director director;
    readonly RunOptions options;
    readonly IProgress<RunProgress>? progress;
    readonly CancellationToken cancel;
    readonly Stopwatch wall = Stopwatch.StartNew();
    readonly List<MachineSample> samples = [];
    readonly List<TimePoint> series = [];
    readonly LivelockDetector detector;
    readonly long interval;
    /// <summary>
    /// The machine at boot: a run that never finishes its set-up reports the set-up, from here to
    /// the stop, since the workload's samples never began.
    /// </summary>
    readonly MachineSample boot;
    PolicyErrorReport? policyError;
    bool cancelled, budgetExhausted;

    public Run(PolicyTable policy, Scenario scenario, RunOptions options, IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        k = new Kernel(scenario, policy);
        director = new Director(k);
        this.options = options;
        this.progress = progress;
        this.cancel = cancel;
        detector = new LivelockDetector(scenario.LivelockWindow / 1e9);
        interval = Math.Max(1_000_000, (long)(options.SampleIntervalS * 1e9));
        k.Scheduler.Add(new SampleTask(this), 0);
        director.WorkloadStarted = () => TakeSample(k.Now);
        boot = Sampler.Take(k, 0, 0);
    }

    sealed class SampleTask(Run run) : SimTask("sampler")
    {
        public override bool NeedsCpu => false;
        public override long Step(long now) => run.Sample(now);
    }

    long Sample(long now)
    {
        if (options.CheckInvariants)
            Invariants.Check(k);
        if (director.WorkloadStart is not null)
            TakeSample(now);
        progress?.Report(new RunProgress(director.WorkloadStart is long s ? (now - s) / 1e9 : 0, k.Scenario.Duration / 1e9,
            director.FilesRemoved, k.Scenario.Files, director.Phase));
        return interval;
    }

    /// <summary>Samples at the workload's start and every interval after it.</summary>
    void TakeSample(long now)
    {
        if (director.WorkloadStart is long t0)
        {
            double t = (now - t0) / 1e9;
            if (samples.Count > 0 && samples[^1].TimeS >= t)
                return;
            var sample = Sampler.Take(k, t, director.FilesRemoved);
            samples.Add(sample);
            AddToSeries(sample);
            detector.Observe(t, director.FilesRemoved, director.WorkRemains);
        }
    }

    /// <summary>
    /// The sample as a point of the plotted series. A point at the time of the one before it (the
    /// run ended on a sampling tick) replaces it, so the series ends on the state the end snapshot shows.
    /// </summary>
    void AddToSeries(MachineSample sample)
    {
        var point = new TimePoint
        {
            TimeS = Math.Round(sample.TimeS, 3),
            FreeKb = sample.Memory.FreeKb,
            SlabKb = sample.Slab.Sum(s => s.SizeKb),
            SwapUsedKb = sample.Memory.SwapUsedKb,
            CachedKb = sample.Memory.CachedKb,
            FilesRemoved = sample.FilesRemoved,
        };
        if (series.Count > 0 && series[^1].TimeS == point.TimeS)
            series[^1] = point;
        else
            series.Add(point);
    }

    bool Over
    {
        get
        {
            if (director.CompletedAt is not null || k.Processes.OutOfVictims)
                return true;
            // The set-up has a bound of its own, so that --duration counts the rm's time only.
            return director.WorkloadStart is long start
                ? k.Now - start >= k.Scenario.Duration
                : k.Now >= k.Scenario.SetupLimit;
        }
    }

    public RunReport Execute()
    {
        try
        {
            while (!Over)
            {
                if (cancel.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                if (options.EventBudget is long budget && k.Scheduler.EventsProcessed >= budget)
                {
                    budgetExhausted = true;
                    break;
                }
                if (!k.Scheduler.RunNext())
                    break;
            }
        }
        catch (PolicyFault fault)
        {
            policyError = new PolicyErrorReport
            {
                Message = fault.Message,
                File = fault.Origin.File,
                Line = fault.Origin.Line,
                Column = fault.Origin.Column,
                Rule = fault.Origin.Text,
                AtS = Math.Round(director.Seconds(k.Now), 3),
            };
        }
        // A last sample at the end so the end snapshot, and the series plotted, show the final state.
        if (director.WorkloadStart is long t0)
        {
            var last = Sampler.Take(k, (k.Now - t0) / 1e9, director.FilesRemoved);
            samples.Add(last);
            AddToSeries(last);
            detector.Observe(last.TimeS, director.FilesRemoved, director.WorkRemains);
        }
        return BuildReport();
    }

    RunReport BuildReport()
    {
        director.RecordEndOfRun();
        if (cancelled)
            director.Record(k.Now, "note", "cancelled");
        if (budgetExhausted)
            director.Record(k.Now, "note", "event budget exhausted");
        if (director.WorkloadStart is null)
            director.Record(k.Now, "note", $"set-up did not finish (phase {director.Phase})");
        if (director.WorkloadStart is long start)
            foreach (var relapse in detector.Relapses)
                director.Record(start + (long)(relapse.ResumedS * 1e9), "note", string.Create(CultureInfo.InvariantCulture,
                    $"the rm moved again ({relapse.Files} file{(relapse.Files == 1 ? "" : "s")} removed) and stalled again at {relapse.StalledS:0.0} s: the livelock holds"));
        var texts = k.Log.Texts;
        var first = samples.Count > 0 ? samples[0] : boot;
        var last = samples.Count > 0 ? samples[^1] : Sampler.Take(k, director.Seconds(k.Now), director.FilesRemoved);

        Snapshot? during = null;
        string? endedBy = null;
        if (detector.Detected && detector.OnsetS is double onset)
        {
            double end = detector.RecoveredS ?? last.TimeS;
            var from = samples.LastOrDefault(s => s.TimeS <= onset) ?? first;
            // The window closes at the last sample still inside the livelock, so that its rates and
            // profile are the livelock's own and not the burst of work that follows the recovery.
            var to = detector.RecoveredS is not null
                ? samples.LastOrDefault(s => s.TimeS < end && s.TimeS > from.TimeS) ?? last
                : samples.LastOrDefault(s => s.TimeS <= end) ?? last;
            during = ReportBuilder.Window(from, to, texts, to);
            if (detector.RecoveredS is double recovered)
                endedBy = director.EndedBy(onset, recovered);
        }

        string verdict = policyError is not null ? "policy-error"
            : k.Processes.OutOfVictims ? "oom"
            : detector.Detected ? "livelock"
            : director.CompletedAt is not null ? "completed"
            // Stopped by Ctrl-C or SIGTERM: not a result about the policy, so not called a timeout.
            : cancelled ? "interrupted"
            : "timeout";
        double simulated = director.WorkloadStart is long s0 ? (k.Now - s0) / 1e9 : 0;
        var endSnapshot = ReportBuilder.Window(first, last, texts);
        return new RunReport
        {
            Policy = k.Policy.PolicyName,
            Lineage = k.Policy.Lineage,
            Scenario = k.Scenario.Name,
            ScenarioBase = k.Scenario.Base,
            ScenarioSettings = k.Scenario.Settings,
            Seed = k.Scenario.Seed,
            Verdict = verdict,
            Livelock = new LivelockReport
            {
                Detected = detector.Detected,
                OnsetS = detector.OnsetS is double o ? Math.Round(o, 3) : null,
                RecoveredS = detector.RecoveredS is double r ? Math.Round(r, 3) : null,
                EndedBy = endedBy,
                WindowS = k.Scenario.LivelockWindow / 1e9,
            },
            Progress = new ProgressReport
            {
                FilesRemoved = director.FilesRemoved,
                FilesTotal = k.Scenario.Files,
                FilesCreated = k.Xfs.Created,
                CompletedS = director.CompletedAt is long c ? Math.Round(director.Seconds(c), 3) : null,
                FilesPerSecond = simulated > 0 ? Math.Round(director.FilesRemoved / simulated, 3) : 0,
            },
            SimulatedSeconds = Math.Round(simulated, 3),
            WorkloadStartS = director.WorkloadStart is long w ? w / 1e9 : null,
            SetupUnfinished = director.WorkloadStart is null ? director.Phase : null,
            DuringLivelock = during,
            End = endSnapshot,
            Kswapd = endSnapshot.Kswapd,
            PolicyError = policyError,
            Series = series,
            Events = director.Timeline(),
            WallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 3),
            EventsProcessed = k.Scheduler.EventsProcessed,
        };
    }
}
