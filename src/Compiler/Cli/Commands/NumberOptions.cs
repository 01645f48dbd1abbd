using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Policyc.Cli.Commands;

/// <summary>
/// Numeric flags with messages a person can read: "--jobs many: expected a whole number from 1"
/// rather than the parser's "as expected type 'System.Nullable`1[System.Int32]'". Still a usage
/// error (exit 2).
/// </summary>
static class NumberOptions
{
    public static Option<int?> Count(string name, string? alias, string description, string helpName, int minimum)
    {
        var option = alias is null ? new Option<int?>(name) : new Option<int?>(name, alias);
        option.Description = description;
        option.HelpName = helpName;
        option.CustomParser = result => Parse(result, name, $"a whole number from {minimum}",
            (string text, out int? value) =>
            {
                bool ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= minimum;
                value = ok ? n : null;
                return ok;
            });
        return option;
    }

    public static Option<ulong?> Seed(string description)
    {
        var option = new Option<ulong?>("--seed") { Description = description, HelpName = "N" };
        option.CustomParser = result => Parse(result, "--seed", "a whole number from 0",
            (string text, out ulong? value) =>
            {
                bool ok = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n);
                value = ok ? n : null;
                return ok;
            });
        return option;
    }

    public static Option<double?> Percentage(string name, string description)
    {
        var option = new Option<double?>(name) { Description = description, HelpName = "PERCENT" };
        option.CustomParser = result => Parse(result, name, "a percentage from 0 to 100",
            (string text, out double? value) =>
            {
                bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d is >= 0 and <= 100;
                value = ok ? d : null;
                return ok;
            });
        return option;
    }

    delegate bool TryParse<T>(string text, out T? value) where T : struct;

    static T? Parse<T>(ArgumentResult result, string name, string expected, TryParse<T> tryParse) where T : struct
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
        if (tryParse(text, out T? value))
            return value;
        result.AddError($"{name} {text}: expected {expected}");
        return null;
    }
}
