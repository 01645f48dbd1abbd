namespace Policyc.Cli.Plotting;

/// <summary>Virtual time on the x axis: seconds for short runs, minutes once a run is longer than ten minutes.</summary>
readonly record struct TimeAxis(double Divisor, string Label)
{
    public static TimeAxis For(double durationS) =>
        durationS > 600 ? new TimeAxis(60, "virtual time (min)") : new TimeAxis(1, "virtual time (s)");

    public double Scale(double seconds) => seconds / Divisor;
}
