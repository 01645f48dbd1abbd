using System.Globalization;

namespace Policyc.Compiler.Binding;

/// <summary>
/// Reads a number as written: <c>3</c>, <c>1_000</c>, <c>0x80</c>, sizes (<c>4k</c>, <c>2.8G</c>:
/// binary multiples, in bytes), durations (<c>20ms</c>, <c>1h</c>: in nanoseconds) and percentages
/// (<c>25%</c>). Units are part of the token so <c>4 k</c> is not a size.
/// </summary>
public static class NumberLiteral
{
    static readonly (string Suffix, BoundType Type, decimal Scale)[] Units =
    [
        ("", BoundType.Count, 1),
        ("B", BoundType.Bytes, 1),
        ("k", BoundType.Bytes, 1L << 10), ("K", BoundType.Bytes, 1L << 10), ("KB", BoundType.Bytes, 1L << 10), ("KiB", BoundType.Bytes, 1L << 10),
        ("M", BoundType.Bytes, 1L << 20), ("MB", BoundType.Bytes, 1L << 20), ("MiB", BoundType.Bytes, 1L << 20),
        ("G", BoundType.Bytes, 1L << 30), ("GB", BoundType.Bytes, 1L << 30), ("GiB", BoundType.Bytes, 1L << 30),
        ("T", BoundType.Bytes, 1L << 40), ("TB", BoundType.Bytes, 1L << 40), ("TiB", BoundType.Bytes, 1L << 40),
        ("ns", BoundType.Duration, 1),
        ("us", BoundType.Duration, 1_000),
        ("ms", BoundType.Duration, 1_000_000),
        ("s", BoundType.Duration, 1_000_000_000),
        ("min", BoundType.Duration, 60_000_000_000),
        ("h", BoundType.Duration, 3_600_000_000_000),
        ("%", BoundType.Percent, 1),
    ];

    /// <summary>The unit suffixes a number may carry, for documentation and messages.</summary>
    public static IEnumerable<string> Suffixes => Units.Select(u => u.Suffix).Where(s => s.Length > 0);

    /// <summary>Parses <paramref name="text"/>; on failure returns false and says why.</summary>
    public static bool TryParse(string text, out BoundType type, out long value, out string error)
    {
        type = BoundType.Error;
        value = 0;
        error = "";
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            string digits = text[2..].Replace("_", "");
            if (digits.Length == 0)
            {
                error = $"'{text[..2]}' must be followed by hexadecimal digits";
                return false;
            }
            if (!long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) || value < 0)
            {
                error = digits.All(char.IsAsciiHexDigit) ? "too large" : "not a hexadecimal number";
                return false;
            }
            type = BoundType.Count;
            return true;
        }

        int end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '_' or '.'))
            end++;
        string number = text[..end];
        string suffix = text[end..];
        if (number.EndsWith('_') || number.Contains("__") || number.Contains("_.") || number.Contains("._"))
        {
            error = "a '_' may only stand between digits";
            return false;
        }
        var unit = Units.FirstOrDefault(u => u.Suffix == suffix);
        if (unit.Suffix != suffix || (suffix.Length == 0 && unit.Scale == 0))
        {
            error = $"unknown unit '{suffix}'; units are {string.Join(" ", Suffixes)}, or write 'pages' after a count";
            return false;
        }
        if (!decimal.TryParse(number.Replace("_", ""), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            error = "too large";
            return false;
        }
        decimal scaled;
        try
        {
            scaled = amount * unit.Scale;
        }
        catch (OverflowException)
        {
            error = "too large";
            return false;
        }
        if (scaled != decimal.Truncate(scaled) && unit.Type != BoundType.Bytes)
        {
            error = unit.Type == BoundType.Count ? "a count must be a whole number" : "not a whole number of the smallest unit";
            return false;
        }
        // Sizes such as 2.8G round to the nearest byte.
        scaled = decimal.Round(scaled, MidpointRounding.AwayFromZero);
        if (scaled > long.MaxValue)
        {
            error = "too large";
            return false;
        }
        type = unit.Type;
        value = (long)scaled;
        return true;
    }
}
