using System.Collections;
using Policyc.Compiler.Text;
using C = Policyc.Compiler.Diagnostics.DiagnosticCodes;

namespace Policyc.Compiler.Diagnostics;

/// <summary>
/// Collects diagnostics. Every message the compiler prints is worded here, once, in one Report
/// method per kind, so wording stays consistent and each code has exactly one producer.
/// </summary>
public sealed class DiagnosticBag : IEnumerable<Diagnostic>
{
    readonly List<Diagnostic> diagnostics = [];

    public bool HasErrors => diagnostics.Any(d => d.IsError);

    public int Count => diagnostics.Count;

    public IEnumerator<Diagnostic> GetEnumerator() => diagnostics.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void AddRange(IEnumerable<Diagnostic> other) => diagnostics.AddRange(other);

    /// <summary>
    /// Diagnostics ordered by file, then position, then code: the order they are printed in. Each
    /// message appears once: a base shared by several policies is read once per policy, into a source
    /// text of its own, so equal diagnostics are recognised by where they are and what they say.
    /// </summary>
    public IReadOnlyList<Diagnostic> ToSortedList() => Distinct(diagnostics)
        .OrderBy(d => d.Path, StringComparer.Ordinal)
        .ThenBy(d => d.Span.Start)
        .ThenBy(d => d.Code, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Each diagnostic once, in the order given; equal ones are those at one place saying one thing.</summary>
    public static IEnumerable<Diagnostic> Distinct(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.DistinctBy(d => (d.Path, d.Span, d.Code, d.Message));

    void Report(DiagnosticDescriptor descriptor, TextLocation location, string message) =>
        diagnostics.Add(new Diagnostic(descriptor, location.Path, location, message));

    /// <summary>Longest text quoted in a message; longer names and paths are cut with "...".</summary>
    public const int MaxQuoted = 200;

    /// <summary>
    /// Quotes a name, text or path for a message: cut to <see cref="MaxQuoted"/> characters, and with
    /// control and format characters (bidi overrides, zero-width spaces, line separators) escaped, so
    /// a message cannot hide or reorder what it quotes on a terminal.
    /// </summary>
    static string Quote(string text)
    {
        if (text.Length > MaxQuoted)
            text = text[..MaxQuoted] + "...";
        var sb = new System.Text.StringBuilder("'");
        foreach (char c in text)
        {
            if (TerminalText.Hides(c) || char.IsSurrogate(c))
                sb.Append($"\\u{(int)c:x4}");
            else
                sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }

    // ---- syntax ----
    public void ReportSyntaxError(TextLocation at, string message) => Report(C.SyntaxError, at, message);

    public void ReportInvalidCharacter(TextLocation at, string text) =>
        Report(C.InvalidCharacter, at, $"unexpected character{(at.Span.Length > 1 ? "s" : "")} {Quote(Printable(text))}");

    public void ReportInvalidNumber(TextLocation at, string text, string why) =>
        Report(C.InvalidNumber, at, $"invalid number {Quote(text)}: {why}");

    public void ReportPolicyNameHasSpace(TextLocation at) =>
        Report(C.InvalidPolicyName, at, "a policy name cannot contain spaces or comments");

    public void ReportPolicyNameCharacter(TextLocation at, char bad) =>
        Report(C.InvalidPolicyName, at, $"a policy name is letters, digits, '_', '-' and '.', not '{bad}'");

    public void ReportPolicyCount(TextLocation at, int count) =>
        Report(C.PolicyCount, at, count == 0
            ? "the file holds no policy; expected 'policy NAME { … }'"
            : $"the file holds {count} policies; put each policy in its own file");

    public void ReportInvalidString(TextLocation at, string why) => Report(C.InvalidString, at, why);

    // ---- names and types ----
    public void ReportUnknownName(TextLocation at, string name, string? suggestion) =>
        Report(C.UnknownName, at, $"unknown name {Quote(name)}" + Suggest(suggestion));

    public void ReportUnknownField(TextLocation at, string group, string field, string? suggestion) =>
        Report(C.UnknownName, at, $"{Quote(group)} has no field {Quote(field)}" + Suggest(suggestion));

    public void ReportUnknownSection(TextLocation at, string name, IEnumerable<string> valid, string? suggestion) =>
        Report(C.UnknownSection, at, suggestion is null
            ? $"unknown section {Quote(name)}; sections are {string.Join(", ", valid)}"
            : $"unknown section {Quote(name)}" + Suggest(suggestion) + $" (sections are {string.Join(", ", valid)})");

    public void ReportUnknownRule(TextLocation at, string section, string name, string? suggestion) =>
        Report(C.UnknownRule, at, $"section {Quote(section)} has no rule {Quote(name)}" + Suggest(suggestion));

    public void ReportDuplicateRule(TextLocation at, string qualifiedName, LinePosition first) =>
        Report(C.DuplicateRule, at, $"rule {Quote(qualifiedName)} is already stated at line {first.Line}");

    public void ReportDuplicateSection(TextLocation at, string section, LinePosition first) =>
        Report(C.DuplicateSection, at, $"section {Quote(section)} already appears at line {first.Line}; merge the two");

    public void ReportDuplicateName(TextLocation at, string name, string what) =>
        Report(C.DuplicateName, at, $"{Quote(name)} is already defined as {what}");

    public void ReportMissingPattern(TextLocation at) =>
        Report(C.SectionPattern, at, "a shrinker section needs a pattern: shrinker \"NAME-OR-GLOB\" { … }");

    public void ReportUnexpectedPattern(TextLocation at, string section) =>
        Report(C.SectionPattern, at, $"only shrinker sections take a pattern, not {Quote(section)}");

    public void ReportInvalidPattern(TextLocation at, string pattern, string why) =>
        Report(C.InvalidPattern, at, $"invalid shrinker pattern {Quote(Printable(pattern))}: {why}");

    public void ReportWrongType(TextLocation at, string what, string expected, string actual) =>
        Report(C.WrongType, at, $"{what} must be {expected}, not {actual}");

    public void ReportUndefinedUnary(TextLocation at, string op, string operand) =>
        Report(C.UndefinedOperator, at, $"operator {Quote(op)} is not defined for {operand}");

    public void ReportUndefinedBinary(TextLocation at, string op, string left, string right) =>
        Report(C.UndefinedOperator, at, $"operator {Quote(op)} is not defined for {left} and {right}");

    public void ReportUnitMismatch(TextLocation at, string op, string left, string right, string hint) =>
        Report(C.UnitMismatch, at, $"unit mismatch: {left} {op} {right}; {hint}");

    public void ReportUnitMismatchExpected(TextLocation at, string what, string expected, string actual, string hint) =>
        Report(C.UnitMismatch, at, $"unit mismatch: {what} must be {expected}, not {actual}; {hint}");

    public void ReportWrongArgumentCount(TextLocation at, string function, string expected, int actual) =>
        Report(C.WrongArgumentCount, at, $"{Quote(function)} takes {expected}, got {actual}");

    public void ReportUnknownFunction(TextLocation at, string name, string? suggestion) =>
        Report(C.UnknownFunction, at, $"unknown function {Quote(name)}" + Suggest(suggestion));

    public void ReportGroupNotAvailable(TextLocation at, string group, string hook, IEnumerable<string> available, string? suggestion = null)
    {
        string readable = string.Join(", ", available);
        Report(C.GroupNotAvailable, at,
            $"{Quote(group)} is not available in {Quote(hook)}; " + (readable.Length == 0 ? "it reads no context, only constants" : $"it may read {readable}") + Suggest(suggestion));
    }

    public void ReportNotConstant(TextLocation at, string name) =>
        Report(C.NotConstant, at, $"constant {Quote(name)} must have a value known at compile time (no context fields)");

    public void ReportContextInConstant(TextLocation at, string name) =>
        Report(C.NotConstant, at, $"a constant cannot read {Quote(name)}: constants are fixed when the policy is compiled");

    public void ReportConstantFault(TextLocation at, string why) =>
        Report(C.ConstantFault, at, $"this expression always fails: {why}");

    public void ReportBaseInRoot(TextLocation at, string policy) =>
        Report(C.BaseWithoutBase, at, $"'base' names the rule this one replaces, but policy {Quote(policy)} extends nothing");

    public void ReportBaseOutsideRule(TextLocation at) =>
        Report(C.BaseWithoutBase, at, "'base' stands for the rule that a rule replaces, so it belongs in a rule, not in a constant or a test");

    public void ReportBaseWithoutRule(TextLocation at, string rule) =>
        Report(C.BaseWithoutBase, at, $"'base' has no rule to name: no base policy states {Quote(rule)}");

    public void ReportNotAValue(TextLocation at, string name, string what) =>
        Report(C.NotAValue, at, $"{Quote(name)} is {what}, not a value");

    // ---- policies ----
    public void ReportBaseNotFound(TextLocation at, string name, IEnumerable<string> searched) =>
        Report(C.BaseNotFound, at, $"base policy {Quote(name)} not found (looked for {string.Join(", ", searched)})");

    public void ReportBaseNotAPath(TextLocation at, string name) =>
        Report(C.BaseNotFound, at, $"base policy {Quote(name)} not found: not a valid file path");

    public void ReportExtendsCycle(TextLocation at, IEnumerable<string> cycle) =>
        Report(C.ExtendsCycle, at, $"'extends' forms a cycle: {string.Join(" → ", cycle)}");

    public void ReportOverrideWithoutBase(TextLocation at, string rule, string basePolicy) =>
        Report(C.OverrideWithoutBase, at, $"rule {Quote(rule)} overrides nothing: base {Quote(basePolicy)} has no such rule");

    public void ReportMissingRules(TextLocation at, string policy, IReadOnlyList<string> missing) =>
        Report(C.MissingRules, at,
            $"root policy {Quote(policy)} does not state {missing.Count} rule{(missing.Count == 1 ? "" : "s")} " +
            $"(with 'extends linux-3.13' it would inherit them): {string.Join(", ", missing)}");

    public void ReportBaseHasErrors(TextLocation at, string name) =>
        Report(C.BaseHasErrors, at, $"base policy {Quote(name)} has errors (reported above)");

    public void ReportBaseNameMismatch(TextLocation at, string expected, string actual) =>
        Report(C.BaseNameMismatch, at, $"the file for base {Quote(expected)} holds policy {Quote(actual)}");

    // ---- warnings ----
    public void ReportConstantRule(TextLocation at, string rule, string value) =>
        Report(C.ConstantRule, at, $"rule {Quote(rule)} is always {value}; write the value itself if that is intended");

    public void ReportUnusedConstant(TextLocation at, string name) =>
        Report(C.UnusedConstant, at, $"constant {Quote(name)} is never used");

    // ---- limits ----
    public void ReportFileTooLarge(TextLocation at, int length, int limit) =>
        Report(C.FileTooLarge, at, $"the file has {length} characters; the limit is {limit}");

    public void ReportNestingTooDeep(TextLocation at, int limit) =>
        Report(C.NestingTooDeep, at, $"expression nested more than {limit} levels deep");

    public void ReportNameTooLong(TextLocation at, int length, int limit) =>
        Report(C.NameTooLong, at, $"name has {length} characters; the limit is {limit}");

    public void ReportTooManyMembers(TextLocation at, int limit) =>
        Report(C.TooManyRules, at, $"more than {limit} constants, sections or rules in one policy");

    // ---- files and emit ----
    public void ReportFileNotReadable(TextLocation at, string why) =>
        Report(C.FileNotReadable, at, $"cannot read {Quote(at.Path)}: {why}");

    /// <summary>A bundle where a policy goes: its '#' lines would each be a syntax error.</summary>
    public void ReportBundleNotPolicy(TextLocation at) =>
        Report(C.FileNotReadable, at, $"{Quote(Paths.Display(at.Path))} is a bundle (policyc bundle), not a policy; replay it with `policyc run {Paths.Display(at.Path)}`");

    /// <summary>A file too large to read at all (so there is no text to point into).</summary>
    public void ReportFileTooLarge(string path, string why) =>
        diagnostics.Add(new Diagnostic(C.FileTooLarge, path, null, why));

    public void ReportFileNotReadable(string path, string why) =>
        diagnostics.Add(new Diagnostic(C.FileNotReadable, path, null, $"cannot read {Quote(path)}: {why}"));

    /// <summary>
    /// Why <see cref="SourceFile.ReadOrNull"/> refused a file: too large (RP0400), or unreadable
    /// (RP0500), at the offending byte when the file is text up to there.
    /// </summary>
    public void ReportUnreadable(string path, SourceFileException e)
    {
        if (e.TooLarge)
            ReportFileTooLarge(path, e.Message);
        else if (e.Text is { } text)
            ReportFileNotReadable(new TextLocation(SourceText.From(text, path), new TextSpan(e.Position, e.Position < text.Length ? 1 : 0)), e.Message);
        else
            ReportFileNotReadable(path, e.Message);
    }

    public void ReportOutputCollision(TextLocation at, string name, string firstFile, string output) =>
        Report(C.OutputCollision, at, $"policy {Quote(name)} is also built from {Quote(firstFile)}, and both would write {Quote(output)}; build them into separate directories");

    public void ReportEmitFailed(TextLocation at, string message) =>
        Report(C.EmitFailed, at, $"internal error, please report: generated C# did not compile: {message}");

    public void ReportSnapshotMismatch(string path, string snapshotPath, string diff) =>
        diagnostics.Add(new Diagnostic(C.SnapshotMismatch, path, null,
            $"generated C# differs from the approved snapshot {Quote(snapshotPath)} (run with --accept to approve):\n{diff}"));

    public void ReportSnapshotMissing(string path, string snapshotPath) =>
        diagnostics.Add(new Diagnostic(C.SnapshotMismatch, path, null,
            $"no approved snapshot {Quote(snapshotPath)} (run with --accept to create it)"));

    // ---- tests ----
    public void ReportUnknownTestTarget(TextLocation at, string name, string kind, string? suggestion) =>
        Report(C.UnknownTestTarget, at, $"unknown {kind} {Quote(name)}" + Suggest(suggestion));

    public void ReportAmbiguousTestTarget(TextLocation at, string name, IEnumerable<string> candidates) =>
        Report(C.AmbiguousTestTarget, at, $"{Quote(name)} names several rules ({string.Join(", ", candidates)}); write the section too");

    public void ReportUnknownGivenField(TextLocation at, string name, string? suggestion) =>
        Report(C.UnknownGivenField, at, $"unknown field {Quote(name)}: give a context field (order, zone.free, swap.free…), zone.max_free_order, or scenario, seed, duration and nodes" + Suggest(suggestion));

    public void ReportDuplicateGiven(TextLocation at, string name) =>
        Report(C.DuplicateGiven, at, $"{Quote(name)} is given twice in this test");

    public void ReportNothingToTest(TextLocation at, string expectedPolicy) =>
        Report(C.NothingToTest, at, $"no policy to test: a file of tests alone tests {Quote(expectedPolicy)}, which cannot be read");

    public void ReportInvalidExpectation(TextLocation at, string why) =>
        Report(C.InvalidExpectation, at, why);

    public void ReportScenarioTestMix(TextLocation at, string why) =>
        Report(C.ScenarioTestMix, at, why);

    public void ReportDuplicateTest(TextLocation at, string name, LinePosition first) =>
        Report(C.DuplicateTest, at, $"test {Quote(name)} is already defined at line {first.Line}; a result must name one test");

    public void ReportEmptyTest(TextLocation at, string name) =>
        Report(C.EmptyTest, at, $"test {Quote(name)} has no 'expect'; a test that checks nothing cannot fail");

    static string Suggest(string? suggestion) => suggestion is null ? "" : $"; did you mean {Quote(suggestion)}?";

    /// <summary>Shows control and non-ASCII characters as escapes so a message never breaks a terminal.</summary>
    public static string Printable(string text)
    {
        var sb = new System.Text.StringBuilder();
        foreach (char c in text)
        {
            if (c >= 0x20 && c < 0x7f)
                sb.Append(c);
            else
                sb.Append($"\\u{(int)c:x4}");
        }
        return sb.ToString();
    }
}
