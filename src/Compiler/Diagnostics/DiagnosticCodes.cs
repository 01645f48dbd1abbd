namespace Policyc.Compiler.Diagnostics;

/// <summary>
/// Every diagnostic the compiler can report. Codes are stable forever: users search for them and
/// docs/diagnostics.md documents each one. Never renumber; retire a code by leaving it unused.
/// RP00xx syntax, RP01xx names and types, RP02xx policies and inheritance, RP03xx warnings,
/// RP04xx limits, RP05xx files, RP06xx code generation, RP07xx tests.
/// </summary>
public static class DiagnosticCodes
{
    static DiagnosticDescriptor Error(string code, string title) => new(code, DiagnosticSeverity.Error, title);
    static DiagnosticDescriptor Warning(string code, string title) => new(code, DiagnosticSeverity.Warning, title);

    public static readonly DiagnosticDescriptor SyntaxError = Error("RP0001", "Syntax error");
    public static readonly DiagnosticDescriptor InvalidCharacter = Error("RP0002", "Invalid character");
    public static readonly DiagnosticDescriptor InvalidNumber = Error("RP0003", "Invalid number literal or unit");
    public static readonly DiagnosticDescriptor InvalidPolicyName = Error("RP0004", "Invalid policy name");
    public static readonly DiagnosticDescriptor PolicyCount = Error("RP0005", "A file must hold exactly one policy");
    public static readonly DiagnosticDescriptor InvalidString = Error("RP0006", "Invalid string");

    public static readonly DiagnosticDescriptor UnknownName = Error("RP0100", "Unknown name");
    public static readonly DiagnosticDescriptor UnknownSection = Error("RP0101", "Unknown section");
    public static readonly DiagnosticDescriptor UnknownRule = Error("RP0102", "Unknown rule");
    public static readonly DiagnosticDescriptor DuplicateRule = Error("RP0103", "Duplicate rule");
    public static readonly DiagnosticDescriptor DuplicateSection = Error("RP0104", "Duplicate section");
    public static readonly DiagnosticDescriptor DuplicateName = Error("RP0105", "Duplicate constant");
    public static readonly DiagnosticDescriptor SectionPattern = Error("RP0106", "Misplaced or missing shrinker pattern");
    public static readonly DiagnosticDescriptor InvalidPattern = Error("RP0107", "Invalid shrinker pattern");
    public static readonly DiagnosticDescriptor WrongType = Error("RP0110", "Wrong type");
    public static readonly DiagnosticDescriptor UndefinedOperator = Error("RP0111", "Operator not defined for these types");
    public static readonly DiagnosticDescriptor UnitMismatch = Error("RP0112", "Unit mismatch");
    public static readonly DiagnosticDescriptor WrongArgumentCount = Error("RP0113", "Wrong number of arguments");
    public static readonly DiagnosticDescriptor UnknownFunction = Error("RP0114", "Unknown function");
    public static readonly DiagnosticDescriptor GroupNotAvailable = Error("RP0115", "Context group not available in this section");
    public static readonly DiagnosticDescriptor NotConstant = Error("RP0116", "Constant value required");
    public static readonly DiagnosticDescriptor ConstantFault = Error("RP0117", "Constant expression fails");
    public static readonly DiagnosticDescriptor BaseWithoutBase = Error("RP0118", "'base' without a base rule");
    public static readonly DiagnosticDescriptor NotAValue = Error("RP0119", "Name is not a value");

    public static readonly DiagnosticDescriptor BaseNotFound = Error("RP0200", "Base policy not found");
    public static readonly DiagnosticDescriptor ExtendsCycle = Error("RP0201", "Cycle in 'extends'");
    public static readonly DiagnosticDescriptor OverrideWithoutBase = Error("RP0202", "Override of a rule the base lacks");
    public static readonly DiagnosticDescriptor MissingRules = Error("RP0203", "Root policy does not state every rule");
    public static readonly DiagnosticDescriptor BaseHasErrors = Error("RP0204", "Base policy has errors");
    public static readonly DiagnosticDescriptor BaseNameMismatch = Error("RP0205", "Base file holds a different policy");

    public static readonly DiagnosticDescriptor ConstantRule = Warning("RP0300", "Rule is constant");
    public static readonly DiagnosticDescriptor UnusedConstant = Warning("RP0301", "Unused constant");

    public static readonly DiagnosticDescriptor FileTooLarge = Error("RP0400", "File too large");
    public static readonly DiagnosticDescriptor NestingTooDeep = Error("RP0401", "Expression nested too deeply");
    public static readonly DiagnosticDescriptor NameTooLong = Error("RP0402", "Name too long");
    public static readonly DiagnosticDescriptor TooManyRules = Error("RP0403", "Too many members");

    public static readonly DiagnosticDescriptor FileNotReadable = Error("RP0500", "File cannot be read");
    public static readonly DiagnosticDescriptor OutputCollision = Error("RP0501", "Two policies would write one output file");

    public static readonly DiagnosticDescriptor EmitFailed = Error("RP0600", "Generated code did not compile");
    public static readonly DiagnosticDescriptor SnapshotMismatch = Error("RP0601", "Generated code differs from the approved snapshot");

    public static readonly DiagnosticDescriptor UnknownTestTarget = Error("RP0700", "Unknown rule or metric in an expectation");
    public static readonly DiagnosticDescriptor AmbiguousTestTarget = Error("RP0701", "Rule name matches several sections");
    public static readonly DiagnosticDescriptor UnknownGivenField = Error("RP0702", "Unknown field in 'given'");
    public static readonly DiagnosticDescriptor DuplicateGiven = Error("RP0703", "Field given twice");
    public static readonly DiagnosticDescriptor NothingToTest = Error("RP0704", "No policy to test");
    public static readonly DiagnosticDescriptor InvalidExpectation = Error("RP0705", "Invalid expectation");
    public static readonly DiagnosticDescriptor ScenarioTestMix = Error("RP0706", "Decision and scenario test mixed");
    public static readonly DiagnosticDescriptor EmptyTest = Error("RP0707", "Test expects nothing");
    public static readonly DiagnosticDescriptor DuplicateTest = Error("RP0708", "Duplicate test name");

    /// <summary>Every descriptor, in code order (tests check each is documented and has a test).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Code, StringComparer.Ordinal)
        .ToArray();
}
