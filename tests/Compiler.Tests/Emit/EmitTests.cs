using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Tests.Support;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Tests.Emit;

public class EmitTests
{
    [Fact]
    public void Generated_code_names_no_dangerous_namespace()
    {
        string csharp = CSharpEmitter.Emit(PolicyCompilation.Load(Repository.Linux313).Policy!);
        foreach (var word in new[] { "System.IO", "System.Diagnostics", "System.Reflection", "Environment", "unsafe", "extern", "DllImport" })
            Assert.DoesNotContain(word, csharp);
    }

    [Fact]
    public void Policy_text_cannot_break_out_of_comments_strings_or_line_directives()
    {
        using var dir = new TempPolicies();
        // U+2028 ends a line in C#; "*/", quotes and backslashes must stay inside their comment or string.
        string path = dir.Write("evil\".rpol", "policy evil extends linux-3.13 {\n" +
            "  gfp { may_oom = true /* \u2028 } static class X { */ && order > 1 / 1; } // \"); System.IO.File.Delete(\"x\n" +
            "  shrinker \"x-*\" { batch = 1 + 1 - 1; }\n}\n");
        var compilation = PolicyCompilation.Load(path);
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var output = PolicyBuilder.Build(compilation, cache: null);
        Assert.NotNull(output.Table);
        string csharp = CSharpEmitter.Emit(compilation.Policy!);
        Assert.DoesNotContain("\u2028", csharp);
        Assert.DoesNotContain("#line 2 \"evil\".rpol\"", csharp);
        // The text after "//" on a line is comment; no code line may carry the policy's text.
        Assert.DoesNotContain(csharp.Split('\n'), line => line.Split("//")[0].Contains("static class X"));
    }

    [Fact]
    public void Rules_that_fail_throw_PolicyFault_with_their_origin_compiled_and_interpreted()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("div.rpol", "policy div extends linux-3.13 {\n  xfs {\n    deadlock_warn_every = 100 / retries;\n  }\n}\n");
        var context = new HookContext { Request = new AllocRequest { Retries = 0 } };
        foreach (bool interpret in new[] { false, true })
        {
            var result = PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = interpret, UseCache = false });
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            var fault = Assert.Throws<PolicyFault>(() => result.Table!.XfsDeadlockWarnEvery(in context));
            Assert.Equal("division by zero", fault.Message);
            Assert.Equal(("div", "div.rpol", 3, 5), (fault.Origin.Policy, fault.Origin.File, fault.Origin.Line, fault.Origin.Column));
            Assert.Equal("deadlock_warn_every = 100 / retries;", fault.Origin.Text);
            var ok = new HookContext { Request = new AllocRequest { Retries = 7 } };
            Assert.Equal(14, result.Table!.XfsDeadlockWarnEvery(in ok));
        }
    }

    /// <summary>
    /// Every operation that can fail, at its edges: compiled code (whose checked helpers throw the
    /// fault) and the interpreter agree on the value or on the fault's message.
    /// </summary>
    [Theory]
    [InlineData("retries + 9223372036854775800", 7, "9223372036854775807")]
    [InlineData("retries + 9223372036854775800", 8, "arithmetic overflow")]
    [InlineData("-9223372036854775807 - retries", 1, "long.MinValue")]
    [InlineData("-9223372036854775807 - retries", 2, "arithmetic overflow")]
    [InlineData("retries * 3074457345618258602", 3, "9223372036854775806")]
    [InlineData("retries * 3074457345618258603", 3, "arithmetic overflow")]
    [InlineData("retries * -4611686018427387904", 2, "long.MinValue")]
    [InlineData("(0 - 9223372036854775807 - 1) / (0 - retries)", 1, "arithmetic overflow")]
    [InlineData("100 / retries", 0, "division by zero")]
    [InlineData("100 % retries", 0, "division by zero")]
    [InlineData("100 % retries", 7, "2")]
    [InlineData("(0 - 9223372036854775807 - 1) % (0 - retries)", 1, "arithmetic overflow")]
    [InlineData("-(retries - 9223372036854775807 - 1)", 0, "arithmetic overflow")]
    [InlineData("-(retries - 9223372036854775807 - 1)", 1, "9223372036854775807")]
    [InlineData("1 << retries", 62, "4611686018427387904")]
    [InlineData("1 << retries", 63, "arithmetic overflow")]
    [InlineData("1 << retries", 64, "arithmetic overflow")]
    [InlineData("1024 >> retries", 3, "128")]
    [InlineData("1024 >> retries", 64, "arithmetic overflow")]
    [InlineData("(retries > 1 ? true : false) ? 10 : 20", 2, "10")] // a conditional as a condition keeps its parentheses
    [InlineData("(retries > 1 ? true : false) ? 10 : 20", 1, "20")]
    [InlineData("- -retries", 5, "5")] // two minus signs side by side would be C#'s decrement
    [InlineData("-(-(retries))", 5, "5")]
    [InlineData("- - - -retries", 5, "5")]
    [InlineData("7 - -retries", 5, "12")]
    [InlineData("- -9223372036854775807 - retries", 0, "9223372036854775807")]
    public void Checked_operations_agree_compiled_and_interpreted(string expression, long retries, string expected)
    {
        using var dir = new TempPolicies();
        string path = dir.Write("ops.rpol", $"policy ops extends linux-3.13 {{\n  xfs {{\n    deadlock_warn_every = {expression};\n  }}\n}}\n");
        var context = new HookContext { Request = new AllocRequest { Retries = retries } };
        foreach (bool interpret in new[] { false, true })
        {
            var result = PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = interpret, UseCache = false });
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            string got;
            try
            {
                long value = result.Table!.XfsDeadlockWarnEvery(in context);
                got = value == long.MinValue ? "long.MinValue" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (PolicyFault fault)
            {
                Assert.Equal(("ops", 3, 5), (fault.Origin.Policy, fault.Origin.Line, fault.Origin.Column));
                got = fault.Message;
            }
            Assert.True(expected == got, $"{(interpret ? "interpreted" : "compiled")}: {expression} with retries = {retries} gave {got}, expected {expected}");
        }
    }

    [Fact]
    public void Every_chain_of_up_to_three_unary_operators_compiles_and_agrees_with_the_interpreter()
    {
        // Printed side by side, two operators can form another C# token ("- -x" as "--x"): one rule
        // sums every chain of '-' and '~' over a context field, a literal and a negative literal, so
        // a single Roslyn build covers them all, and the other rule does the same for '!' on a bool.
        string[] Chains(string[] ops) =>
            [.. from n in Enumerable.Range(1, 3)
                from chain in Enumerable.Range(0, (int)Math.Pow(ops.Length, n))
                select string.Concat(Enumerable.Range(0, n).Select(i => ops[chain / (int)Math.Pow(ops.Length, i) % ops.Length]))];
        var counts = (from chain in Chains(["-", "~"])
                      from operand in new[] { "retries", "5", "(-5)", "-retries" }
                      select $"{chain}{operand}").ToArray();
        var bools = Chains(["!"]).Select(chain => $"{chain}has(FS)");
        // Two rules of 28 terms each: a sum of all 56 would nest past the parser's limit.
        string half1 = string.Join(" + ", counts.Take(counts.Length / 2)), half2 = string.Join(" + ", counts.Skip(counts.Length / 2));
        using var dir = new TempPolicies();
        string path = dir.Write("unary.rpol",
            $"policy unary extends linux-3.13 {{\n  xfs {{ deadlock_warn_every = {half1}; kmem_retry_wait = 1ns * ({half2}); }}\n" +
            $"  gfp {{ may_oom = {string.Join(" && ", bools.Select(b => $"({b} || true)"))} && {bools.Last()}; }}\n}}\n");
        var context = new HookContext { Request = new AllocRequest { Retries = 7, Gfp = GfpMasks.GFP_KERNEL } };
        var results = new[] { false, true }.Select(interpret =>
        {
            var result = PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = interpret, UseCache = false });
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            return (result.Table!.XfsDeadlockWarnEvery(in context), result.Table!.XfsKmemRetryWait(in context), result.Table!.GfpMayOom(in context));
        }).ToArray();
        Assert.Equal(results[1], results[0]);
        Assert.False(results[0].Item3); // three '!' on has(FS), which GFP_KERNEL has
    }

    [Fact]
    public void A_second_build_of_an_unchanged_policy_comes_from_the_cache()
    {
        using var dir = new TempPolicies();
        string cache = Path.Combine(dir.Directory, "cache");
        string path = dir.Write("fix.rpol", "policy fix extends linux-3.13 { swap { skip_lowest_bit = false; } }");
        var options = new PolicyLoadOptions { CacheDirectory = cache };
        var first = PolicyLoader.Load(path, options);
        var second = PolicyLoader.Load(path, options);
        Assert.True(first.Succeeded && second.Succeeded);
        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        var context = new HookContext();
        Assert.False(second.Table!.SwapSkipLowestBit(in context));

        // Changing the base invalidates the derived policy's entry.
        File.AppendAllText(Path.Combine(dir.Directory, "linux-3.13.rpol"), "// changed\n");
        Assert.False(PolicyLoader.Load(path, options).CacheHit);
    }

    [Fact]
    public void The_cache_key_depends_on_where_the_base_lies_relative_to_the_policy()
    {
        var fix = Text.SourceText.From("policy fix extends linux-3.13 { }", "/a/fix.rpol");
        var besideBase = Text.SourceText.From("base", "/a/linux-3.13.rpol");
        var aboveBase = Text.SourceText.From("base", "/policies/linux-3.13.rpol");
        Assert.NotEqual(BuildCache.Key([fix, besideBase], "/a"), BuildCache.Key([fix, aboveBase], "/a"));
        Assert.Equal(BuildCache.Key([fix, besideBase], "/a"), BuildCache.Key([fix, besideBase], "/a"));
    }

    [Fact]
    public void Table_carries_lineage_origins_and_shrinker_sections_most_specific_first()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("fix.rpol", """
            policy fix extends linux-3.13 {
              shrinker "xfs-inode" { action = run; }
              shrinker "xfs-*" { batch = 64; }
            }
            """);
        var result = PolicyLoader.Load(path, new PolicyLoadOptions { UseCache = false });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var table = result.Table!;
        Assert.Equal(["fix", "linux-3.13"], table.Lineage);
        Assert.Equal(["xfs-inode", "xfs-*", "sb-*", "*"], table.ShrinkerSections.Select(s => s.Pattern));
        Assert.Equal("linux-3.13.rpol", table.OriginOf(HookId.GfpMayOom)!.File);

        var inode = table.ResolveShrinker("xfs-inode");
        var nofs = new HookContext { Request = new AllocRequest { Gfp = GfpMasks.GFP_NOFS } };
        Assert.Equal(ShrinkAction.Run, inode.Action(in nofs));
        Assert.Equal(64, inode.Batch(in nofs));
        Assert.Equal(2, inode.Seeks(in nofs));

        var sb = table.ResolveShrinker("sb-xfs");
        Assert.Equal(ShrinkAction.Defer, sb.Action(in nofs));
        Assert.Equal(1024, sb.Batch(in nofs));
    }

    [Fact]
    public void Unit_literals_and_conversions_have_kernel_values()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("units.rpol", """
            policy units extends linux-3.13 {
              gfp { retry_wait = 1h + 2min + 3s + 4ms + 5us + 6ns; }
              xfs {
                deadlock_warn_every = pages(2.8G) / 1 pages + bytes(3 pages) / 1k + 0x10 + 1_000;
                kmem_retry_wait = 1.5ms;
              }
            }
            """);
        var result = PolicyLoader.Load(path, new PolicyLoadOptions { UseCache = false });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var c = new HookContext();
        Assert.Equal(3_600_000_000_000 + 120_000_000_000 + 3_000_000_000 + 4_000_000 + 5_000 + 6, result.Table!.GfpRetryWait(in c));
        Assert.Equal(3006477107 / 4096 + 12 + 16 + 1000, result.Table.XfsDeadlockWarnEvery(in c));
        Assert.Equal(1_500_000, result.Table.XfsKmemRetryWait(in c));
    }

    [Fact]
    public void Base_calls_the_overridden_rule()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("retry.rpol", "policy retry extends linux-3.13 { gfp { should_retry = base && retries < 3; } }");
        var table = PolicyLoader.Load(path, new PolicyLoadOptions { UseCache = false }).Table!;
        var kernel = new HookContext { Request = new AllocRequest { Gfp = GfpMasks.GFP_NOFS, Order = 4, Retries = 1 } };
        Assert.False(table.GfpShouldRetry(in kernel)); // order 4 > COSTLY_ORDER without REPEAT
        kernel.Request.Order = 0;
        Assert.True(table.GfpShouldRetry(in kernel));
        kernel.Request.Retries = 3;
        Assert.False(table.GfpShouldRetry(in kernel));
    }
}
