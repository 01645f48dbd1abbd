using System.Diagnostics;
using System.Runtime;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;

namespace Policyc.Benchmarks.Profiling;

/// <summary>
/// <c>Policyc.Benchmarks profile-build POLICY</c>: the phases of <c>policyc build</c> run one by one in a
/// fresh process, each with its wall time and the JIT time and methods compiled during it, so a slow
/// build can be blamed on the right phase (and on the JIT or on the work itself).
/// </summary>
public static class BuildPhases
{
    public static int Run(string policy, TextWriter output)
    {
        var phases = new List<(string Name, double Ms, double JitMs, int Methods)>();
        var clock = new Stopwatch();
        T Phase<T>(string name, Func<T> work)
        {
            var jit0 = JitInfo.GetCompilationTime();
            long methods0 = JitInfo.GetCompiledMethodCount();
            clock.Restart();
            var result = work();
            clock.Stop();
            phases.Add((name, clock.Elapsed.TotalMilliseconds, (JitInfo.GetCompilationTime() - jit0).TotalMilliseconds,
                (int)(JitInfo.GetCompiledMethodCount() - methods0)));
            return result;
        }

        // What the process did before Main: host start, runtime start, this program's own start-up.
        double sinceStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        phases.Add(("process start to Main", sinceStart, JitInfo.GetCompilationTime().TotalMilliseconds, (int)JitInfo.GetCompiledMethodCount()));

        var compilation = Phase("parse and bind (ANTLR, binder)", () => PolicyCompilation.Load(policy));
        var bound = compilation.Policy ?? throw new InvalidOperationException($"{policy} has errors");
        string csharp = Phase("emit C#", () => CSharpEmitter.Emit(bound));
        string key = Phase("cache key (SHA-256)", () => BuildCache.Key(compilation.Sources, bound.Directory));
        var compiled = Phase("Roslyn: parse, bind, emit IL", () => RoslynCompiler.Compile("Policy_" + key[..16], csharp, bound.Name + ".g.cs"));
        var again = Phase("Roslyn again (already jitted)", () => RoslynCompiler.Compile("Policy_again", csharp, bound.Name + ".g.cs"));
        if (compiled.Assembly is null || again.Assembly is null)
            throw new InvalidOperationException(string.Join("; ", compiled.Errors));

        string cacheDirectory = Directory.CreateTempSubdirectory("policyc-profile-").FullName;
        try
        {
            var cache = new BuildCache(cacheDirectory);
            cache.Put(key, compiled.Assembly);
            Phase("cache hit: load assembly, make delegates", () => PolicyBuilder.Build(compilation, cache));
        }
        finally
        {
            Directory.Delete(cacheDirectory, recursive: true);
        }

        output.WriteLine($"{"phase",-44} {"wall ms",8} {"jit ms",8} {"methods",8}");
        foreach (var (name, ms, jitMs, methods) in phases)
            output.WriteLine($"{name,-44} {ms,8:0.0} {jitMs,8:0.0} {methods,8}");
        output.WriteLine($"{"total after Main",-44} {phases.Skip(1).Where(p => !p.Name.StartsWith("Roslyn again", StringComparison.Ordinal)).Sum(p => p.Ms),8:0.0}");
        return 0;
    }
}
