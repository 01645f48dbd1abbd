using System.CommandLine;
using Policyc.Cli.Output;
using Policyc.Cli.Rendering;
using Policyc.Compiler.Sweeping;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc sweep</c>: a grid of policies x scenarios x seeds, each cell one independent run, in
/// parallel on the local cores; rows appended to a JSON-lines file (and a SQLite database with
/// <c>--db</c>); a summary with the spread across seeds. <c>--shard I/N</c> runs one slice, so the same
/// command runs as a Slurm array job or a Kubernetes Indexed Job; <c>policyc sweep merge</c> joins the
/// slices.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var file = new Option<string?>("--file", "-f") { Description = "A sweep file (TOML: name, policies, scenarios, seeds, duration)", HelpName = "SWEEP.toml" };
        var policies = new Option<string[]>("--policy", "-p") { Description = "A policy file or a directory of policies (repeatable)", HelpName = "PATH", AllowMultipleArgumentsPerToken = true };
        var scenarios = new Option<string[]>("--scenario", "-s") { Description = "A built-in scenario or a scenario file (repeatable; default small)", HelpName = "NAME|FILE", AllowMultipleArgumentsPerToken = true };
        var seeds = new Option<string?>("--seeds") { Description = "Seeds, e.g. 1,2,3 or 1-3 (default 1)", HelpName = "LIST" };
        var set = new Option<string[]>("--set") { Description = "Set a scenario field on every scenario, e.g. --set nodes=4 (repeatable, after a sweep file's settings; docs/runtime.md lists the fields)", HelpName = "KEY=VALUE" };
        var duration = new Option<string?>("--duration") { Description = "Virtual time of every run, e.g. 120s (default: the scenario's)", HelpName = "TIME" };
        var shard = new Option<string?>("--shard") { Description = "Run only slice I of N, e.g. 2/4 (default: all cells)", HelpName = "I/N" };
        var jobs = NumberOptions.Count("--jobs", ["-j"], "Cells run at once (default: one per core, as many as the memory holds)", "N", minimum: 1);
        var output = new Option<string?>("--out", "-o") { Description = "JSON-lines file the rows are appended to (default NAME.jsonl)", HelpName = "FILE" };
        var db = new Option<string?>("--db") { Description = "Also store the rows in this SQLite database", HelpName = "FILE" };
        var name = new Option<string?>("--name") { Description = "The sweep's name in the database and the default output (default: the sweep file's name, or 'sweep')", HelpName = "NAME" };
        var interpret = new Option<bool>("--interpret") { Description = "Evaluate the rules with the interpreter instead of compiled code" };
        var cellsTable = CellsOption();

        var command = new Command("sweep", "Run a grid of policies x scenarios x seeds in parallel, optionally one shard of it")
        {
            file, policies, scenarios, seeds, set, duration, shard, jobs, output, db, name, interpret, cellsTable,
        };
        command.Subcommands.Add(MergeCommand());
        command.SetAction(parse =>
        {
            var spec = Spec(parse, file, policies, scenarios, seeds, set, duration, name);
            var slice = parse.GetValue(shard) is { } s ? FlagValue(() => Shard.Parse(s)) : Shard.All;
            var cells = Guard(() => SweepPlan.Cells(spec)).Where(slice.Contains).ToArray();
            string outPath = parse.GetValue(output) ?? spec.Name + ".jsonl";
            string? database = parse.GetValue(db);
            string[] inputs = [.. cells.Select(c => c.PolicyPath).Distinct(), .. spec.Scenarios.Where(ScenarioReader.IsScenarioFile),
                               .. parse.GetValue(file) is { } sweepFile ? [sweepFile] : Array.Empty<string>()];
            OutputPath.CheckFile("--out", outPath, inputs);
            // Rows are appended: an existing file must hold rows already, not a report or notes.
            if (File.Exists(outPath))
            {
                try
                {
                    SweepResults.Read(outPath);
                }
                catch (SweepException e)
                {
                    throw new CliException($"--out {outPath}: rows are appended, and this file holds something else ({e.Message})");
                }
            }
            if (database is not null)
                CheckDatabase(database, inputs);
            var machines = Guard(() => SweepRunner.Scenarios(cells, s => ScenarioOptions.Load(s), spec.Duration, spec.Settings));
            var largest = machines.Values.MaxBy(SimulationFootprint.EstimatedBytes);
            var (parallel, note) = largest is null ? (1, null) : RunSlots.For(cells.Length, largest, parse.GetValue(jobs));
            if (note is not null)
                Console.Error.WriteLine(note);
            Console.Error.WriteLine($"policyc: sweep {spec.Name}: {cells.Length} cells" +
                                    (slice == Shard.All ? "" : $" (shard {slice})") + $", {parallel} at a time, rows appended to {outPath}");

            bool interpreted = parse.GetValue(interpret);
            using var interrupt = new Interrupt();
            IReadOnlyList<SweepRow> rows;
            using (var appender = new SweepResults.Appender(outPath))
            {
                rows = SweepProgress.Run(cells, report => Guard(() => SweepRunner.Run(
                    cells,
                    path => PolicyLoading.Load(path, interpreted),
                    machines,
                    parallel,
                    row =>
                    {
                        appender.Add(row);
                        report(row);
                    },
                    interrupt.Token)));
            }
            if (database is not null)
            {
                Guard(() => SweepDatabase.Store(database, spec.Name, rows));
                Console.Error.WriteLine($"policyc: stored {rows.Count} rows in {database}");
            }
            Console.Out.Write(SweepView.Render(SweepSummary.Of(rows)));
            if (parse.GetValue(cellsTable))
                Console.Out.Write("\n" + SweepCellsView.Render(rows));
            if (interrupt.Requested)
                return ExitCodes.Interrupted;
            return rows.Any(r => r.Verdict == "policy-error") ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    static Command MergeCommand()
    {
        var inputs = PathArguments.Many("FILES", "Result files of the shards (JSON lines)", ArgumentArity.OneOrMore);
        var output = new Option<string?>("--out", "-o") { Description = "Write the merged rows here (default: print them)", HelpName = "FILE" };
        var db = new Option<string?>("--db") { Description = "Also store the merged rows in this SQLite database", HelpName = "FILE" };
        var name = new Option<string>("--name") { Description = "The sweep's name in the database", HelpName = "NAME", DefaultValueFactory = _ => "sweep" };
        var cellsTable = CellsOption();
        var command = new Command("merge", "Merge the results of a sweep's shards: one row per cell, in cell order") { inputs, output, db, name, cellsTable };
        command.SetAction(parse =>
        {
            string? path = parse.GetValue(output), database = parse.GetValue(db);
            bool cells = parse.GetValue(cellsTable);
            if (cells && path is null)
                throw CliException.Usage("--cells prints a table beside the summary: give --out FILE with it (without --out the merged rows go to standard output)");
            if (path is not null)
                OutputPath.CheckFile("--out", path);
            if (database is not null)
                CheckDatabase(database, inputs: []);
            var rows = Guard(() => SweepResults.Merge(parse.GetRequiredValue(inputs).Select(SweepResults.Read)));
            if (SweepResults.MissingCells(rows) is { Count: > 0 } missing)
                Console.Error.WriteLine($"policyc: warning: no row for cell{(missing is [var only] && only.From == only.To ? "" : "s")} {Ranges(missing)} of 0-{rows.Max(r => r.Cell)}; is a shard's file missing from the merge?");
            if (path is not null)
            {
                // Rendered before the file is written, so nothing is replaced by a merge that fails.
                string summary = SweepView.Render(SweepSummary.Of(rows)) + (cells ? "\n" + SweepCellsView.Render(rows) : "");
                AtomicFile.WriteAllText(path, SweepResults.ToText(rows));
                Console.Error.WriteLine($"policyc: wrote {rows.Count} rows to {path}");
                Console.Out.Write(summary);
            }
            else
                foreach (var row in rows)
                    Console.Out.WriteLine(row.ToJsonLine());
            if (database is not null)
                Guard(() => SweepDatabase.Store(database, parse.GetValue(name)!, rows));
            return ExitCodes.Ok;
        });
        return command;
    }

    static Option<bool> CellsOption() => new("--cells")
    {
        Description = "Also print one line per cell: its verdict, the livelock's free memory, free swap, scan_swap_map CPU and failed scans, and the report's bounds met",
    };

    static SweepSpec Spec(ParseResult parse, Option<string?> file, Option<string[]> policies, Option<string[]> scenarios,
        Option<string?> seeds, Option<string[]> set, Option<string?> duration, Option<string?> name)
    {
        var fromFile = parse.GetValue(file) is { } f ? Guard(() => SweepFile.Load(f)) : null;
        var policyList = (fromFile?.Policies ?? []).Concat(parse.GetValue(policies) ?? []).ToArray();
        if (policyList.Length == 0)
            throw CliException.Usage("no policies: give --policy PATH (repeatable) or --file SWEEP.toml");
        if (policyList.Any(p => p.Length == 0))
            throw CliException.Usage("--policy: '' is no file name");
        var scenarioList = parse.GetValue(scenarios) is { Length: > 0 } given ? given : fromFile?.Scenarios ?? ["small"];
        var seedList = parse.GetValue(seeds) is { } s ? FlagValue(() => SweepSpec.ParseSeeds(s)) : fromFile?.Seeds ?? [1UL];
        // A setting that names no field or does not parse is a usage error, as for run's --set.
        var settings = (fromFile?.Settings ?? [])
            .Concat((parse.GetValue(set) ?? []).Select(text => FlagValue(() => SweepSpec.CheckSetting(SweepSpec.ParseSetting(text)), $"--set {text}: ")))
            .ToArray();
        // A duration that does not parse is a usage error, as for run; one that parses but is
        // impossible (0s) is found with the scenarios, before the first cell.
        if (parse.GetValue(duration) is { } d)
            ScenarioOptions.WithOverrides(BuiltinScenarios.Small, [("duration", d)]);
        if (parse.GetValue(name) is { } named && SweepSpec.NameProblem(named) is { } problem)
            throw CliException.Usage($"--name: {problem}");
        return new SweepSpec(
            parse.GetValue(name) ?? fromFile?.Name ?? "sweep",
            policyList,
            scenarioList,
            seedList,
            parse.GetValue(duration) ?? fromFile?.Duration,
            settings);
    }

    /// <summary>"1, 3-5, 9" for the runs 1-1, 3-5 and 9-9.</summary>
    static string Ranges(IReadOnlyList<(int From, int To)> runs) =>
        string.Join(", ", runs.Select(r => r.From == r.To ? $"{r.From}" : $"{r.From}-{r.To}"));

    /// <summary>A flag's value parsed by the sweep's own parsers: one that does not parse is a usage error (exit 2).</summary>
    static T FlagValue<T>(Func<T> parse, string prefix = "")
    {
        try
        {
            return parse();
        }
        catch (SweepException e)
        {
            throw CliException.Usage(prefix + e.Message);
        }
    }

    /// <summary>--db as an output path, and, if it exists, a SQLite database: checked before any work, naming the flag.</summary>
    static void CheckDatabase(string database, IReadOnlyList<string> inputs)
    {
        OutputPath.CheckFile("--db", database, inputs);
        // SQLite keeps a journal beside the database: on /dev/null it would leave /dev/null-journal.
        if (FileKind.IsSpecial(database))
            throw new CliException($"--db {database}: is a device or a pipe; a database needs a regular file");
        try
        {
            SweepDatabase.Check(database);
        }
        catch (SweepException e)
        {
            throw new CliException("--db " + e.Message);
        }
    }

    static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SweepException e)
        {
            throw new CliException(e.Message);
        }
    }

    static void Guard(Action action) => Guard(() => { action(); return 0; });
}
