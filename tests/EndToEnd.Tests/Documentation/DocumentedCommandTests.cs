using System.CommandLine;
using System.Text.RegularExpressions;
using Policyc.Cli;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Runtime.Scenarios;

namespace Policyc.EndToEnd.Tests.Documentation;

/// <summary>
/// The command lines the README and docs/ show keep working as the command line changes: every flag
/// a documented command uses exists on that command, every command shown in a code block parses, and
/// every shipped file it names is there. Nothing is run, so the check costs nothing and covers
/// the hour-long runs the docs quote as well.
/// </summary>
public partial class DocumentedCommandTests
{
    /// <summary>A documented command: where it is written and its words after "policyc".</summary>
    public sealed record DocumentedCommand(string Place, IReadOnlyList<string> Words, bool InCodeBlock)
    {
        public override string ToString() => $"{Place}: policyc {string.Join(' ', Words)}";
    }

    [Fact]
    public void The_docs_show_commands_to_check()
    {
        var commands = DocumentedCommands();
        Assert.True(commands.Count(c => c.InCodeBlock) >= 15, string.Join('\n', commands));
        Assert.True(commands.Count(c => !c.InCodeBlock) >= 30, string.Join('\n', commands));
    }

    [Fact]
    public void Every_flag_of_a_documented_command_exists()
    {
        var wrong = new List<string>();
        foreach (var command in DocumentedCommands())
        {
            var (target, after) = Resolve(PolicycCommand.Create(), command.Words);
            var known = KnownFlags(target);
            foreach (var word in after.Where(w => w.StartsWith('-') && w != "-" && !IsDeliberatelyWrong(w)))
                if (!known.Contains(word.Split('=')[0]))
                    wrong.Add($"{command}: '{word}' is not a flag of '{target.Name}' (it has {string.Join(", ", known.Order())})");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void A_command_in_a_code_block_parses_and_names_files_that_exist()
    {
        var wrong = new List<string>();
        foreach (var command in DocumentedCommands().Where(c => c.InCodeBlock && !HasPlaceholder(c.Words)))
        {
            var parse = PolicycCommand.Create().Parse(command.Words.ToArray());
            wrong.AddRange(parse.Errors.Select(e => $"{command}: {e.Message}"));
            for (int i = 0; i < command.Words.Count; i++)
            {
                var word = command.Words[i];
                var next = i + 1 < command.Words.Count ? command.Words[i + 1] : null;
                if ((word.StartsWith("policies/") || word.StartsWith("examples/")) && Matches(word) == 0)
                    wrong.Add($"{command}: no file matches '{word}'");
                if (word is "--scenario" or "-s" && next is not null && !BuiltinScenarios.Names.Contains(next) && Matches(next) == 0)
                    wrong.Add($"{command}: no scenario '{next}'");
                if (word is "--set" && next is not null && !ScenarioOverrides.IsKnownKey(next.Split('=')[0]))
                    wrong.Add($"{command}: unknown scenario field in '{next}'");
            }
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void Every_scenario_field_the_docs_set_exists()
    {
        var root = PolicycProcess.RepositoryRoot;
        var wrong = new List<string>();
        foreach (var file in DocumentationFiles())
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                foreach (Match set in SetFlag().Matches(lines[i]))
                    if (!ScenarioOverrides.IsKnownKey(set.Groups[1].Value))
                        wrong.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: --set {set.Groups[1].Value}");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    /// <summary>The command a line names (a subcommand of a subcommand too) and the words after it.</summary>
    static (Command Target, IReadOnlyList<string> After) Resolve(Command root, IReadOnlyList<string> words)
    {
        Command target = root;
        int i = 0;
        for (; i < words.Count; i++)
        {
            var sub = target.Subcommands.FirstOrDefault(c => c.Name == words[i] || c.Aliases.Contains(words[i]));
            if (sub is null)
                break;
            target = sub;
        }
        return (target, words.Skip(i).ToList());
    }

    static HashSet<string> KnownFlags(Command command)
    {
        var flags = new HashSet<string> { "--help", "-h", "-?", "--version" };
        foreach (var option in command.Options)
        {
            flags.Add(option.Name);
            flags.UnionWith(option.Aliases);
        }
        return flags;
    }

    // docs/cli.md shows an unknown flag on purpose, as the example of a usage error.
    static bool IsDeliberatelyWrong(string word) => word == "--bogus";

    // Synopses stand for a family of commands: FILE, A.rpol, [--seed N], PATH…
    static bool HasPlaceholder(IReadOnlyList<string> words) =>
        words.Any(w => w.Contains('…') || w.Contains('[') || w.Contains('|') || w.Contains('$') || w is "A.rpol" or "B.rpol"
                       || (w.Length > 0 && w.All(c => char.IsUpper(c) || c == '.' || c == '_')));

    static int Matches(string path)
    {
        var full = Path.Combine(PolicycProcess.RepositoryRoot, path);
        if (!path.Contains('*'))
            return File.Exists(full) || Directory.Exists(full) ? 1 : 0;
        var directory = Path.GetDirectoryName(full)!;
        return Directory.Exists(directory) ? Directory.GetFiles(directory, Path.GetFileName(full)).Length : 0;
    }

    /// <summary>
    /// Every "policyc …" in README.md and docs/*.md: the lines of fenced code blocks (joined across
    /// trailing backslashes, split at &amp;&amp; and |) and the inline code spans of the prose.
    /// </summary>
    static IReadOnlyList<DocumentedCommand> DocumentedCommands()
    {
        var root = PolicycProcess.RepositoryRoot;
        var commands = new List<DocumentedCommand>();
        foreach (var file in DocumentationFiles())
        {
            var name = Path.GetRelativePath(root, file).Replace('\\', '/');
            var lines = File.ReadAllLines(file);
            bool inBlock = false;
            for (int i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith("```"))
                {
                    inBlock = !inBlock;
                    continue;
                }
                if (inBlock)
                {
                    int first = i;
                    while (line.EndsWith('\\') && i + 1 < lines.Length)
                        line = line[..^1] + " " + lines[++i].Trim();
                    foreach (var part in line.Split(["&&", "|"], StringSplitOptions.TrimEntries))
                        if (CommandWords(part) is { } words)
                            commands.Add(new($"{name}:{first + 1}", words, InCodeBlock: true));
                }
                else
                {
                    foreach (Match span in InlineCode().Matches(lines[i]))
                        if (CommandWords(span.Groups[1].Value) is { } words)
                            commands.Add(new($"{name}:{i + 1}", words, InCodeBlock: false));
                }
            }
        }
        return commands;
    }

    /// <summary>The words after "policyc" or "./policyc", or null for text that is not a command (output, a bare name).</summary>
    static IReadOnlyList<string>? CommandWords(string text)
    {
        var words = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0] is not ("policyc" or "./policyc") || words[1].EndsWith(':'))
            return null;
        return words.Skip(1).Select(w => w.Trim('"')).Where(w => w.Length > 0).ToList();
    }

    static IEnumerable<string> DocumentationFiles()
    {
        var root = PolicycProcess.RepositoryRoot;
        return new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
    }

    [GeneratedRegex("--set ([a-z0-9_-]+)=")]
    private static partial Regex SetFlag();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();
}
