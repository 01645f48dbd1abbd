using System.Text;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Files no one should write, each rejected with a clear diagnostic at a real position, with work
/// bounded by the limits in <see cref="Limits"/> (docs/robustness.md lists them). The console form
/// of the diagnostics stays short whatever the input, since it echoes at most a window of a line.
/// </summary>
public class PathologicalInputTests : IDisposable
{
    const string Ok = "policy p extends linux-3.13 { xfs { deadlock_warn_every = 10; } }\n";

    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    IReadOnlyList<Diagnostic> Check(string path)
    {
        var compilation = PolicyCompilation.Load(path);
        Assert.Null(compilation.Policy);
        var errors = compilation.Diagnostics.Where(d => d.IsError).ToArray();
        Assert.NotEmpty(errors);
        // What `policyc check` prints stays bounded whatever the file holds.
        var console = new StringWriter();
        DiagnosticFormatter.WriteConsole(compilation.Diagnostics, console);
        Assert.InRange(console.ToString().Length, 1, 64 * 1024);
        return errors;
    }

    static void AssertAt(Diagnostic d, string code, int line, int column)
    {
        Assert.Equal(code, d.Code);
        Assert.Equal((line, column), (d.Start.Line, d.Start.Column));
    }

    [Fact]
    public void Empty_file_and_comment_only_file_hold_no_policy()
    {
        AssertAt(Check(scratch.Write("empty.rpol", "")).Single(), "RP0005", 1, 1);
        AssertAt(Check(scratch.Write("comments.rpol", "// nothing\n/* at all */\n")).Single(), "RP0005", 1, 1);
    }

    [Fact]
    public void Ten_megabyte_file_is_refused_by_size()
    {
        var text = new StringBuilder(Ok);
        text.Append("// ").Append('x', 10 * 1024 * 1024).Append('\n');
        var error = Check(scratch.Write("big.rpol", text.ToString())).Single();
        Assert.Equal("RP0400", error.Code);
    }

    [Fact]
    public void An_endless_device_is_read_only_up_to_the_limit()
    {
        if (!File.Exists("/dev/zero"))
            return; // no such device on this platform
        string path = scratch.Combine("zero.rpol");
        File.CreateSymbolicLink(path, "/dev/zero");
        var error = Check(path).Single();
        Assert.Equal("RP0400", error.Code);
    }

    [Theory]
    [InlineData("run", "error RP0400")]                                          // the bundle sniff read /dev/zero's first line for ever
    [InlineData("sweep merge", "not a sweep result line: longer than 65536 characters")] // so did the results reader
    public void Commands_that_look_at_a_file_before_reading_it_stop_on_an_endless_device(string command, string message)
    {
        if (!File.Exists("/dev/zero"))
            return; // no such device on this platform
        // The process is killed after two minutes, failing the test with a TimeoutException.
        var result = Policyc.EndToEnd.Tests.Fixtures.PolicycProcess.RunIn(scratch.Path, [.. command.Split(' '), "/dev/zero"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task A_named_pipe_without_a_writer_does_not_block()
    {
        if (!OperatingSystem.IsLinux())
            return; // the non-blocking open is Linux's
        string path = scratch.Combine("pipe.rpol");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
            mkfifo.WaitForExit();
        Assert.True(File.Exists(path), "mkfifo did not create the pipe");
        var check = Task.Run(() => Check(path));
        var first = await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(first == check, "reading a named pipe without a writer blocked");
        Assert.Equal("RP0005", (await check).Single().Code); // read as empty: the file holds no policy
    }

    [Fact]
    public void Ten_thousand_nested_parentheses_stop_at_the_nesting_limit()
    {
        string deep = new string('(', 10_000) + "1" + new string(')', 10_000);
        string text = $"policy p extends linux-3.13 {{\n  xfs {{ deadlock_warn_every = {deep}; }}\n}}\n";
        var error = Check(scratch.Write("deep.rpol", text)).Single();
        AssertAt(error, "RP0401", 2, 31 + Limits.MaxNesting); // the first parenthesis past the limit
    }

    [Fact]
    public void Deep_operator_chains_stop_at_the_nesting_limit_too()
    {
        string chain = string.Join(" - ", Enumerable.Repeat("1", 10_000));
        var errors = Check(scratch.Write("chain.rpol", $"policy p extends linux-3.13 {{ xfs {{ deadlock_warn_every = {chain}; }} }}\n"));
        Assert.Equal("RP0401", errors.Single().Code);
    }

    [Fact]
    public void Very_long_identifiers_are_refused_and_not_quoted_in_full()
    {
        string name = new('x', 100_000);
        var errors = Check(scratch.Write("long-name.rpol", $"policy p extends linux-3.13 {{ const {name} = 1; }}\n"));
        var error = errors.Single(e => e.Code == "RP0402");
        AssertAt(error, "RP0402", 1, 37);
        Assert.Contains("100000", error.Message);
        Assert.All(errors, e => Assert.InRange(e.Message.Length, 1, 1000));
    }

    [Fact]
    public void A_very_long_line_reports_the_real_column_and_prints_a_window_of_it()
    {
        string text = "policy p extends linux-3.13 {" + new string(' ', 500_000) + "xfs { deadlock_warn_every = ; } }\n";
        var error = Check(scratch.Write("long-line.rpol", text)).First();
        Assert.Equal("RP0001", error.Code);
        Assert.Equal(1, error.Start.Line);
        Assert.Equal(text.IndexOf(';', StringComparison.Ordinal) + 1, error.Start.Column);
        var console = new StringWriter();
        DiagnosticFormatter.WriteConsole([error], console);
        Assert.InRange(console.ToString().Length, 1, 800);
    }

    [Fact]
    public void A_quarter_megabyte_of_stray_characters_is_one_diagnostic()
    {
        var error = Check(scratch.Write("junk.rpol", new string('@', 256 * 1024))).First();
        AssertAt(error, "RP0002", 1, 1);
        Assert.Equal(256 * 1024, error.Span.Length);
    }

    [Fact]
    public void Invalid_UTF8_is_refused_at_the_first_bad_byte()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("policy p extends linux-3.13 {\n  xfs { deadlock_warn_every = "), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("1; }\n}\n")];
        var error = Check(scratch.WriteBytes("latin.rpol", bytes)).Single();
        AssertAt(error, "RP0500", 2, 31);
        Assert.Contains("not UTF-8", error.Message);
        Assert.Contains("0xC3", error.Message);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_accepted()
    {
        byte[] bytes = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Ok)];
        var compilation = PolicyCompilation.Load(scratch.WriteBytes("bom.rpol", bytes));
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
    }

    [Fact]
    public void NUL_bytes_are_invalid_characters_at_their_position()
    {
        var error = Check(scratch.Write("nul.rpol", "policy p extends linux-3.13 {\n  \0\0\0 xfs { }\n}\n")).First();
        AssertAt(error, "RP0002", 2, 3);
        Assert.Equal(3, error.Span.Length);
        Assert.Contains("\\u0000", error.Message);
    }

    [Fact]
    public void A_directory_a_missing_file_and_an_unreadable_file_are_reported_by_path()
    {
        Directory.CreateDirectory(scratch.Combine("dir.rpol"));
        var dir = Check(scratch.Combine("dir.rpol")).Single();
        Assert.Equal("RP0500", dir.Code);
        Assert.Contains("directory", dir.Message);

        var missing = Check(scratch.Combine("missing.rpol")).Single();
        Assert.Equal("RP0500", missing.Code);

        // Permission bits do not stop root (as in CI containers): then the file simply reads.
        if (OperatingSystem.IsWindows())
            return;
        string locked = scratch.Write("locked.rpol", Ok);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        var compilation = PolicyCompilation.Load(locked);
        if (compilation.HasErrors)
            Assert.Equal("RP0500", compilation.Diagnostics.Single().Code);
    }

    [Fact]
    public void Extends_cycles_self_reference_and_missing_bases_are_errors_at_the_extends()
    {
        AssertAt(Check(scratch.Write("self.rpol", "policy self extends self { }\n")).Single(), "RP0201", 1, 21);
        scratch.Write("b.rpol", "policy b extends c { }\n");
        scratch.Write("c.rpol", "policy c extends b { }\n");
        Assert.Equal("RP0201", Check(scratch.Combine("b.rpol")).Single().Code);
        AssertAt(Check(scratch.Write("orphan.rpol", "policy orphan extends nowhere { }\n")).Single(), "RP0200", 1, 23);
        AssertAt(Check(scratch.Write("nul-path.rpol", "policy q extends \"a\0b\" { }\n")).First(e => e.Code == "RP0200"), "RP0200", 1, 18);
    }

    [Fact]
    public void A_base_that_cannot_be_read_is_reported_at_its_own_path()
    {
        scratch.WriteBytes("broken.rpol", [0xFF, 0xFE, 0x00]);
        var errors = Check(scratch.Write("child.rpol", "policy child extends broken { }\n"));
        Assert.Contains(errors, e => e.Code == "RP0500" && e.Path.EndsWith("broken.rpol", StringComparison.Ordinal));

        Directory.CreateDirectory(scratch.Combine("folder.rpol"));
        errors = Check(scratch.Write("child2.rpol", "policy child2 extends \"folder.rpol\" { }\n"));
        Assert.Contains(errors, e => e.Code == "RP0500" && e.Message.Contains("directory", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_many_members_are_refused()
    {
        var text = new StringBuilder("policy p extends linux-3.13 {\n");
        for (int i = 0; i <= Limits.MaxMembers; i++)
            text.Append("  const C").Append(i).Append(" = 1;\n");
        text.Append("}\n");
        Assert.Contains(Check(scratch.Write("many.rpol", text.ToString())), e => e.Code == "RP0403");
    }
}
