using Policyc.Compiler.Bundling;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Scenarios;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc run BUNDLE</c>: unpacks a bundle into a temporary directory, gives the run its policy
/// and scenario, and afterwards checks that the run reproduced the bundle's headline metrics.
/// </summary>
public sealed class BundleReplay : IDisposable
{
    readonly string directory;

    BundleReplay(Bundle bundle, string directory, string policyPath, Scenario scenario)
    {
        Bundle = bundle;
        this.directory = directory;
        PolicyPath = policyPath;
        Scenario = scenario;
    }

    public Bundle Bundle { get; }
    public string PolicyPath { get; }
    public Scenario Scenario { get; }

    /// <summary>
    /// The bundle's text, as strictly as a policy's: its policies are unpacked and run, so a byte
    /// that is not UTF-8 must not turn into U+FFFD on the way. Room for a policy at the size limit
    /// and many bases.
    /// </summary>
    static string ReadBundle(string path)
    {
        try
        {
            return SourceFile.ReadOrNull(path, 16 * Limits.MaxFileLength, "a bundle") ?? throw new BundleException($"{path}: no such file");
        }
        catch (SourceFileException e)
        {
            string at = path;
            if (e.Text is { } text)
            {
                var position = SourceText.From(text, path).GetLinePosition(e.Position);
                at = $"{path}({position.Line},{position.Column})";
            }
            throw new BundleException($"{at}: cannot read the bundle: {e.Message}");
        }
    }

    /// <summary>The replay of <paramref name="path"/>, or null when it is not a bundle (a policy).</summary>
    public static BundleReplay? Open(string path)
    {
        if (!File.Exists(path) || !Bundle.IsBundle(path))
            return null;
        var directory = Directory.CreateTempSubdirectory("policyc-replay-").FullName;
        try
        {
            var bundle = Bundle.Parse(ReadBundle(path), path);
            string policy = BundleFiles.Unpack(bundle, directory);
            // A carried scenario file is read from the bundle's text, so its errors name the bundle's lines.
            var scenario = bundle.Files.FirstOrDefault(f => f.Path == bundle.Scenario) is { } carried && ScenarioReader.IsScenarioFile(carried.Path)
                ? ScenarioReader.Parse(path, carried.FirstLine, Path.GetFileName(carried.Path), carried.Text)
                : ScenarioOptions.Load(bundle.Scenario);
            scenario = scenario.WithOverride("seed", bundle.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (bundle.Duration is { } duration)
                scenario = scenario.WithOverride("duration", duration);
            scenario.Validate();
            return new BundleReplay(bundle, directory, policy, scenario);
        }
        catch (Exception e) when (e is BundleException or ScenarioException)
        {
            Directory.Delete(directory, recursive: true);
            throw new CliException(e.Message);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The verdict of the replay: the lines to print, and whether every expected metric was reproduced.</summary>
    public (string Text, bool Reproduced) Check(RunReport report)
    {
        var mismatches = Headline.Mismatches(Bundle.Expected, report);
        if (mismatches.Count == 0)
            return ($"replay: reproduced all {Bundle.Expected.Count} expected metrics of the bundle", true);
        return ("replay: the run differs from the bundle:\n" + string.Join("\n", mismatches.Select(m => "  " + m)), false);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
