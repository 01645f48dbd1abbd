using System.Globalization;

namespace Policyc.Cli.Rendering;

/// <summary>Number formats shared by the views: the ones procps and perf print, in the invariant culture.</summary>
public static class Units
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Integer(long value) => value.ToString(Invariant);

    /// <summary>slabtop's OBJ SIZE column: bytes shown as <c>%.2fK</c> ("1.19K").</summary>
    public static string SlabObjectSize(long bytes) => (bytes / 1024.0).ToString("0.00", Invariant) + "K";

    /// <summary>slabtop's USE column: active objects as a whole percent of all objects, rounded down as slabtop does.</summary>
    public static string SlabUse(long active, long objs) => objs == 0 ? "0%" : $"{active * 100 / objs}%";

    /// <summary>perf report's overhead column: "44.91%".</summary>
    public static string Percent(double percent) => percent.ToString("0.00", Invariant) + "%";

    /// <summary>A share with one decimal ("45.3%"), for summary tables.</summary>
    public static string Share(double percent) => percent.ToString("0.0", Invariant) + "%";

    public static string Rate(double perSecond) => perSecond switch
    {
        0 => "0/s",
        < 10 => perSecond.ToString("0.00", Invariant) + "/s",
        < 1000 => perSecond.ToString("0.0", Invariant) + "/s",
        _ => perSecond.ToString("0", Invariant) + "/s",
    };

    /// <summary>A point in virtual time: "3600.0 s".</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.0", Invariant) + " s";

    /// <summary>A length of time for a reader: "2 h 05 min", "54 min 49 s", "8.2 s".</summary>
    public static string Duration(double seconds)
    {
        if (seconds < 60)
            return seconds.ToString("0.0", Invariant) + " s";
        var whole = (long)Math.Round(seconds);
        var (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
        return h > 0 ? $"{h} h {m:00} min" : $"{m} min {s:00} s";
    }

    /// <summary>A size given in KiB, shown in the largest binary unit that keeps it above 1: "15.7 GiB".</summary>
    public static string KibiBytes(long kb)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        double value = kb;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(unit == 0 ? "0" : "0.0", Invariant) + " " + units[unit];
    }

    /// <summary>A count for a reader: 9486678 → "9.49M", 12000 → "12.0k".</summary>
    public static string Count(long value) => Math.Abs(value) switch
    {
        >= 10_000_000_000 => (value / 1e9).ToString("0.00", Invariant) + "G",
        >= 1_000_000 => (value / 1e6).ToString("0.00", Invariant) + "M",
        >= 10_000 => (value / 1e3).ToString("0.0", Invariant) + "k",
        _ => value.ToString(Invariant),
    };
}
