using Policyc.Compiler;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>
/// Output files and the build cache under concurrency and damage: builds of one policy at the same
/// time agree and leave one complete cache entry; a damaged entry is rebuilt; --emit-cs and --out
/// replace files in one step. (AtomicFile itself is tested with the CLI's output tests.)
/// </summary>
public class OutputFileTests : IDisposable
{
    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    string Policy() => scratch.Write("p.rpol", "policy p extends linux-3.13 { xfs { deadlock_warn_every = 100 / (order + 1); } }\n");

    [Fact]
    public void A_database_on_a_pipe_is_refused_before_sqlite_leaves_a_journal_beside_it()
    {
        // `sweep merge … --db /dev/null` left /dev/null-journal behind. A named pipe stands in for the
        // device, so that the test touches nothing outside its directory.
        if (!OperatingSystem.IsLinux())
            return;
        string rows = scratch.Write("rows.jsonl", "");
        string pipe = scratch.Combine("rows.db");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
            mkfifo.WaitForExit();
        var result = PolicycProcess.RunIn(scratch.Path, "sweep", "merge", rows, "--db", pipe);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--db {pipe}: is a device or a pipe; a database needs a regular file", result.Stderr);
        Assert.False(File.Exists(pipe + "-journal"));
    }

    [Fact]
    public void A_merge_of_a_row_it_cannot_use_fails_at_the_row_and_keeps_the_previous_output()
    {
        // A null policy was written to --out, and only then did the summary fail on it.
        const string Row = """{"id":"p:small:1","cell":0,"policy":null,"policy_file":"p.rpol","scenario":"small","seed":1,"verdict":"completed","files_removed":1,"files_total":1,"files_per_second":1,"kswapd_wakeups":0,"kswapd_slab_freed":0,"reclaim_cpu_percent":0,"simulated_s":1}""";
        string rows = scratch.Write("rows.jsonl", Row + "\n");
        string merged = scratch.Write("merged.jsonl", "previous\n");
        var result = PolicycProcess.RunIn(scratch.Path, "sweep", "merge", rows, "--out", merged);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"policyc: error: {rows}(1,1): not a sweep result line: 'policy' is null", result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
        Assert.Equal("previous\n", File.ReadAllText(merged));
    }

    [Fact]
    public void Concurrent_builds_of_one_policy_share_the_cache_without_corrupting_it()
    {
        string policy = Policy();
        string cache = scratch.Combine("cache");
        var results = new PolicyLoadResult[4];
        Parallel.For(0, results.Length, i =>
            results[i] = PolicyLoader.Load(policy, new PolicyLoadOptions { CacheDirectory = cache }));
        Assert.All(results, r => Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics)));

        var entries = Directory.GetFiles(cache);
        Assert.Single(entries, f => f.EndsWith(".entry", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        var again = PolicyLoader.Load(policy, new PolicyLoadOptions { CacheDirectory = cache });
        Assert.True(again.CacheHit);
    }

    [Fact]
    public void A_damaged_cache_entry_is_rebuilt_and_replaced()
    {
        string policy = Policy();
        string cache = scratch.Combine("cache");
        Assert.True(PolicyLoader.Load(policy, new PolicyLoadOptions { CacheDirectory = cache }).Succeeded);
        string entry = Directory.GetFiles(cache, "*.entry").Single();
        byte[] good = File.ReadAllBytes(entry);
        File.WriteAllBytes(entry, good[..(good.Length / 2)]); // a copy cut short

        var result = PolicyLoader.Load(policy, new PolicyLoadOptions { CacheDirectory = cache });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(good, File.ReadAllBytes(entry));
    }

    [Fact]
    public void An_entry_not_signed_with_the_users_key_is_not_loaded_but_rebuilt()
    {
        string policy = Policy();
        string cache = scratch.Combine("cache");
        Assert.True(PolicyLoader.Load(policy, new PolicyLoadOptions { CacheDirectory = cache }).Succeeded);
        string entry = Directory.GetFiles(cache, "*.entry").Single();
        byte[] good = File.ReadAllBytes(entry);
        string key = Path.GetFileNameWithoutExtension(entry);

        // Someone who can write the cache directory but does not hold the key stores an assembly
        // (here a genuine one, signed with their own key) under the policy's hash.
        new BuildCache(cache, secret: new byte[32]).Put(key, good[32..]);
        Assert.NotEqual(good, File.ReadAllBytes(entry));

        var result = PolicyLoader.Load(policy, new PolicyLoadOptions { CacheDirectory = cache });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.False(result.CacheHit);
        Assert.Equal(good, File.ReadAllBytes(entry)); // compiled again and stored with the user's MAC
        Assert.True(PolicyLoader.Load(policy, new PolicyLoadOptions { CacheDirectory = cache }).CacheHit);
    }

    [Fact]
    public void A_relative_config_home_is_ignored_so_the_key_is_not_kept_under_the_working_directory()
    {
        // The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and to be ignored.
        string policy = Policy();
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "relative", ["POLICYC_CACHE_KEY"] = "" };
        var result = PolicycProcess.RunWith(scratch.Path, environment, "build", policy);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(scratch.Combine("relative")));
    }

    [Fact]
    public void Emit_cs_and_out_replace_earlier_files_whole_and_leave_no_temporary_files()
    {
        string policy = Policy();
        string emit = Directory.CreateDirectory(scratch.Combine("cs")).FullName;
        string bin = Directory.CreateDirectory(scratch.Combine("bin")).FullName;
        File.WriteAllText(Path.Combine(emit, "p.g.cs"), "stale");
        File.WriteAllText(Path.Combine(bin, "p.dll"), "stale");

        var result = PolicycProcess.RunIn(scratch.Path, "build", policy, "--emit-cs", emit, "--out", bin);
        Assert.True(result.ExitCode == 0, result.ToString());
        string csharp = CSharpEmitter.Emit(PolicyCompilation.Load(policy).Policy!);
        Assert.Equal(csharp, File.ReadAllText(Path.Combine(emit, "p.g.cs")));
        Assert.NotEqual("stale", File.ReadAllText(Path.Combine(bin, "p.dll")));
        Assert.Equal(["p.g.cs"], Directory.GetFiles(emit).Select(Path.GetFileName));
        Assert.Equal(["p.dll"], Directory.GetFiles(bin).Select(Path.GetFileName));
    }
}
