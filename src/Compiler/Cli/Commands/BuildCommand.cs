using System.CommandLine;
using System.Diagnostics;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Interpretation;
using Policyc.Cli.Output;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc build FILE… [--emit-cs DIR] [--out DIR] [--snapshot DIR [--accept]]</c>: check, generate
/// C#, compile it (or load it from the cache) and load the table of delegates, as <c>run</c> would.
/// </summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var files = PathArguments.Many("FILE", ".rpol files to build", ArgumentArity.OneOrMore);
        var emitCs = new Option<string?>("--emit-cs") { HelpName = "DIR", Description = "Write the generated C# to DIR/NAME.g.cs" };
        var outDir = new Option<string?>("--out") { HelpName = "DIR", Description = "Write the compiled assembly to DIR/NAME.dll" };
        var snapshot = new Option<string?>("--snapshot") { HelpName = "DIR", Description = "Compare the generated C# with the approved copy DIR/NAME.g.cs.approved" };
        var accept = new Option<bool>("--accept") { Description = "With --snapshot: approve the generated C# as it is now" };
        var interpret = new Option<bool>("--interpret") { Description = "Check and load with the interpreter instead of compiling" };
        var noCache = new Option<bool>("--no-cache") { Description = "Compile with Roslyn even if a cached assembly exists" };
        var json = new Option<bool>("--json") { Description = "Print diagnostics as JSON on standard output" };
        var command = new Command("build", "Compile policies to a table of delegates")
        {
            files, emitCs, outDir, snapshot, accept, interpret, noCache, json,
        };
        command.SetAction(parse =>
        {
            var options = new Options(
                parse.GetValue(emitCs), parse.GetValue(outDir), parse.GetValue(snapshot), parse.GetValue(accept),
                parse.GetValue(interpret), !parse.GetValue(noCache), parse.GetValue(json));
            if (options is { Accept: true, Snapshot: null })
                throw CliException.Usage("--accept approves snapshots: give --snapshot DIR with it");
            // Made and tried before any compiling, so an unwritable directory costs no build.
            if (options.EmitCs is { } emitTo)
                OutputPath.EnsureDirectory("--emit-cs", emitTo);
            if (options.Out is { } outTo)
                OutputPath.EnsureDirectory("--out", outTo);
            if (options is { Snapshot: { } approveIn, Accept: true })
                OutputPath.EnsureDirectory("--snapshot", approveIn);
            var diagnostics = new List<Diagnostic>();
            bool failed = false;
            var builtFrom = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in parse.GetValue(files)!)
                failed |= !BuildOne(file, options, diagnostics, builtFrom);
            CommandOutput.WriteDiagnostics(diagnostics, options.Json);
            return failed || diagnostics.Any(d => d.IsError) ? 1 : 0;
        });
        return command;
    }

    sealed record Options(string? EmitCs, string? Out, string? Snapshot, bool Accept, bool Interpret, bool UseCache, bool Json);

    /// <param name="builtFrom">The policies built so far, by name, with their files: outputs are named
    /// by the policy, so two files of one name would write over each other's.</param>
    static bool BuildOne(string file, Options options, List<Diagnostic> diagnostics, Dictionary<string, string> builtFrom)
    {
        var clock = Stopwatch.StartNew();
        var compilation = PolicyCompilation.Load(file);
        diagnostics.AddRange(compilation.Diagnostics);
        if (compilation.HoldsOnlyTests)
        {
            // `policyc build policies/*.rpol` meets the NAME.test.rpol files beside the policies.
            CommandOutput.Status(options.Json, $"{file}: tests only, nothing to build; run them with `policyc test {file}`");
            return true;
        }
        if (compilation.Policy is not { } policy)
            return false;
        if (OutputOf(options, policy.Name) is { } firstOutput)
        {
            string full = Path.GetFullPath(file);
            if (builtFrom.TryGetValue(policy.Name, out var first) && first != full)
            {
                var bag = new DiagnosticBag();
                bag.ReportOutputCollision(new Compiler.Text.TextLocation(policy.Text, policy.Syntax.Name.Span), policy.Name, Compiler.Text.Paths.Display(first), firstOutput);
                diagnostics.AddRange(bag);
                return false;
            }
            builtFrom[policy.Name] = full;
        }

        // The C# text is produced here only when asked for; the build itself makes it only on a cache miss.
        if (options.EmitCs is not null || options.Snapshot is not null)
        {
            string csharp = CSharpEmitter.Emit(policy);
            // Atomic like --json: an interrupted build leaves the previous file or the new one.
            if (options.EmitCs is { } emitDir)
                AtomicFile.WriteAllText(Path.Combine(emitDir, policy.Name + ".g.cs"), csharp);
            if (options.Snapshot is { } snapshotDir && !CheckSnapshot(file, snapshotDir, policy.Name, csharp, options, diagnostics))
                return false;
        }

        string how;
        if (options.Interpret)
        {
            TableAssemblerCheck(policy);
            how = "interpreted";
        }
        else
        {
            var cache = options.UseCache ? new BuildCache(BuildCache.DefaultDirectory) : null;
            var output = PolicyBuilder.Build(compilation, cache);
            diagnostics.AddRange(output.Diagnostics);
            if (output.Table is null)
                return false;
            how = output.CacheHit ? "cached" : "compiled";
            if (options.Out is { } outDir)
                AtomicFile.WriteAllBytes(Path.Combine(outDir, policy.Name + ".dll"), output.Image!);
        }
        int rules = policy.EffectiveRules.Count;
        int own = policy.Rules.Count;
        CommandOutput.Status(options.Json,
            $"{file}: built {policy.Name} ({rules} rules, {own} stated here, {policy.ShrinkerPatterns.Count} shrinker sections; {how}) in {clock.ElapsedMilliseconds} ms");
        return true;
    }

    /// <summary>The first file the build writes for a policy of this name, or null when it writes none.</summary>
    static string? OutputOf(Options options, string name) =>
        options.EmitCs is { } cs ? Path.Combine(cs, name + ".g.cs")
        : options.Out is { } dll ? Path.Combine(dll, name + ".dll")
        : options is { Accept: true, Snapshot: { } approved } ? Path.Combine(approved, name + ".g.cs.approved")
        : null;

    static void TableAssemblerCheck(BoundPolicy policy) =>
        TableAssembler.Assemble(policy, rule => Interpreter.CreateDelegate(rule, policy.Directory));

    static bool CheckSnapshot(string file, string directory, string policyName, string csharp, Options options, List<Diagnostic> diagnostics)
    {
        var result = Snapshot.Check(directory, policyName, csharp, options.Accept, AtomicFile.WriteAllText);
        var bag = new DiagnosticBag();
        switch (result.Outcome)
        {
            case Snapshot.Outcome.Matched:
                CommandOutput.Status(options.Json, $"{file}: generated C# matches {result.ApprovedPath}");
                return true;
            case Snapshot.Outcome.Accepted:
                CommandOutput.Status(options.Json, $"{file}: approved {result.ApprovedPath}");
                return true;
            case Snapshot.Outcome.Missing:
                bag.ReportSnapshotMissing(file, result.ApprovedPath);
                break;
            case Snapshot.Outcome.Unreadable:
                bag.ReportFileNotReadable(result.ApprovedPath, result.Why!);
                break;
            default:
                bag.ReportSnapshotMismatch(file, result.ApprovedPath, result.Diff);
                break;
        }
        diagnostics.AddRange(bag);
        return false;
    }
}
