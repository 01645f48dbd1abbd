using CsCheck;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Random command lines, as a hurried user types them: every command with files that exist, do not,
/// are directories, devices or empty words, and flags with values of the wrong kind. Whatever the
/// line, policyc answers with exit 0, 1 or 2 and no stack trace: 70 is an internal error.
/// </summary>
public sealed class CommandLineFuzzTests : IDisposable
{
    const int Lines = 40;

    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    static readonly string[] Commands = ["run", "compare", "test", "diff", "sweep", "bundle", "check", "build", "fmt", "sweep merge"];

    static readonly string[] Files =
        ["linux-3.13.rpol", "fix.rpol", "linux-3.13.test.rpol", "s.toml", "nosuch.rpol", ".", "-", "", "a b.rpol", "/dev/null", "/", ".."];

    static readonly string[] Flags =
    [
        "--scenario", "-s", "--seed", "--duration", "--json", "--plot", "--set", "--mem", "--nodes", "--files", "--explain",
        "--interpret", "--out", "-o", "--db", "--shard", "--seeds", "-j", "--threshold", "--coverage", "--accept", "--snapshot",
        "--emit-cs", "--run", "--name", "-p", "--file", "--check", "--drop-caches-at", "--dir-block",
    ];

    static readonly string[] Values =
    [
        "small", "s.toml", "0", "-1", "2s", "0s", "x", "99999999999999999999", "out.json", "out.svg", "-", "=", "mem=", "mem=1G",
        "nosuch=1", "1/2", "3/2", "2-1", "", "none", "64k", "100%", "/", "/proc/x.json", "linux-3.13.rpol",
    ];

    static readonly Gen<string[]> Line =
        Gen.Select(Gen.OneOf(Commands), Gen.OneOf(Files).Array[0, 3], Gen.Select(Gen.OneOf(Flags), Gen.OneOf(Values).Array[0, 1]).Array[0, 4],
            (command, files, flags) =>
            {
                // `test` walks a directory's whole tree and runs every test in it: given / or .., it
                // would run every test on the machine. /proc/1 is a small tree with directories even
                // root may not read, which is the robustness question a walk of / asks.
                if (command == "test")
                    files = files.Select(f => f is "/" or ".." ? "/proc/1" : f).ToArray();
                var args = command.Split(' ').Concat(files).Concat(flags.SelectMany(f => new[] { f.Item1 }.Concat(f.Item2))).ToList();
                // Keep simulations short: a run of the default seed scenario would take half a minute.
                if (command is "run" or "compare" or "bundle" or "sweep" or "diff")
                    args.AddRange(["--scenario", "small", "--duration", "1s"]);
                return args.ToArray();
            });

    [Fact]
    public void Every_command_line_ends_in_exit_0_1_or_2_without_a_stack_trace()
    {
        File.WriteAllText(scratch.Combine("fix.rpol"), "policy fix extends linux-3.13 {\n  swap { skip_lowest_bit = false; }\n}\n");
        File.Copy(Path.Combine(Repository.Policies, "linux-3.13.test.rpol"), scratch.Combine("linux-3.13.test.rpol"));
        File.WriteAllText(scratch.Combine("s.toml"), "base = \"small\"\nduration = \"1s\"\n");
        Line.Sample(args =>
        {
            var result = PolicycProcess.RunIn(scratch.Path, args);
            Assert.True(result.ExitCode is 0 or 1 or 2, $"policyc {string.Join(' ', args.Select(a => $"'{a}'"))}\n{result}");
            Assert.DoesNotContain("internal error", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr);
        }, iter: Lines, threads: 2, print: args => string.Join(' ', args.Select(a => $"'{a}'")));
    }
}
