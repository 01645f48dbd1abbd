using System.Globalization;

namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Parses the quantities scenarios are written in: sizes (4G, 128M, 64k, 497976K; binary multiples),
/// durations (3600s, 2h, 20ms, 90m = minutes, 1500us, 10ns) and counts (2M, 500k: decimal multiples).
/// </summary>
public static class Units
{
    public static bool TryParseSize(string text, out long bytes) => ParseSize(text, out bytes) == UnitParse.Ok;

    public static bool TryParseDuration(string text, out long nanoseconds) => ParseDuration(text, out nanoseconds) == UnitParse.Ok;

    public static bool TryParseCount(string text, out long count) => ParseCount(text, out count) == UnitParse.Ok;

    public static UnitParse ParseSize(string text, out long bytes) => Parse(text, out bytes, suffix => suffix.ToLowerInvariant() switch
    {
        "" or "b" => 1,
        "k" or "kb" or "kib" => 1L << 10,
        "m" or "mb" or "mib" => 1L << 20,
        "g" or "gb" or "gib" => 1L << 30,
        "t" or "tb" or "tib" => 1L << 40,
        _ => 0,
    });

    public static UnitParse ParseDuration(string text, out long nanoseconds) => Parse(text, out nanoseconds, suffix => suffix.ToLowerInvariant() switch
    {
        "ns" => 1,
        "us" or "µs" => 1_000,
        "ms" => 1_000_000,
        "" or "s" => 1_000_000_000,
        "m" or "min" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    });

    public static UnitParse ParseCount(string text, out long count) => Parse(text, out count, suffix => suffix switch
    {
        "" => 1,
        "k" or "K" => 1_000,
        "M" or "m" => 1_000_000,
        "G" or "g" => 1_000_000_000,
        _ => 0,
    });

    public static string FormatSize(long bytes)
    {
        foreach (var (unit, shift) in new[] { ("T", 40), ("G", 30), ("M", 20), ("K", 10) })
            if (bytes >= 1L << shift && bytes % (1L << shift) == 0)
                return $"{bytes >> shift}{unit}";
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    public static string FormatDuration(long ns) =>
        ns % 3_600_000_000_000 == 0 && ns > 0 ? $"{ns / 3_600_000_000_000}h"
        : ns % 1_000_000_000 == 0 ? $"{ns / 1_000_000_000}s"
        : ns % 1_000_000 == 0 ? $"{ns / 1_000_000}ms"
        : $"{ns}ns";

    static (string? Number, string Suffix) Split(string text)
    {
        text = text.Trim().Replace("_", "", StringComparison.Ordinal);
        int i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            i++;
        if (i == 0)
            return (null, "");
        return (text[..i], text[i..].Trim());
    }

    static UnitParse Parse(string text, out long value, Func<string, long> multiplierOf)
    {
        value = 0;
        var (number, suffix) = Split(text);
        long multiplier = number is null ? 0 : multiplierOf(suffix);
        if (multiplier == 0 || number!.Count(c => c == '.') > 1 || number == ".")
            return UnitParse.Malformed;
        // Digits that do not fit a decimal are as out of range as a product that overflows it.
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
            return UnitParse.TooLarge;
        decimal scaled;
        try
        {
            scaled = d * multiplier;
        }
        catch (OverflowException)
        {
            return UnitParse.TooLarge;
        }
        if (scaled > long.MaxValue)
            return UnitParse.TooLarge;
        if (scaled != decimal.Truncate(scaled))
            return UnitParse.NotWhole;
        value = (long)scaled;
        return UnitParse.Ok;
    }
}

/// <summary>Why a quantity did not parse: the form, its size, or a fraction of the smallest unit.</summary>
public enum UnitParse { Ok, Malformed, TooLarge, NotWhole }
