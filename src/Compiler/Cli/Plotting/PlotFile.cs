using Policyc.Cli.Output;
using ScottPlot;

namespace Policyc.Cli.Plotting;

/// <summary>Saves a plot as SVG or PNG, chosen by the file's extension, atomically.</summary>
public static class PlotFile
{
    public const int Width = 1200;
    public const int Height = 700;

    /// <summary>Rejects an unsupported extension before a long run starts, not after it.</summary>
    public static void CheckPath(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".svg" or ".png"))
            throw CliException.Usage($"--plot {path}: the file must end in .svg or .png");
    }

    public static void Save(Plot plot, string path)
    {
        CheckPath(path);
        if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase))
            AtomicFile.WriteAllText(path, plot.GetSvgXml(Width, Height));
        else
            AtomicFile.WriteAllBytes(path, plot.GetImage(Width, Height).GetImageBytes(ImageFormat.Png));
    }
}
