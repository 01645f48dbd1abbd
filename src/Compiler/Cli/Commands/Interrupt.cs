using System.Runtime.InteropServices;

namespace Policyc.Cli.Commands;

/// <summary>
/// Ctrl-C (and SIGTERM) during a run: the first one asks the simulation to stop, so the command can still
/// print and write what was measured; a second Ctrl-C ends the process at once.
/// </summary>
public sealed class Interrupt : IDisposable
{
    readonly CancellationTokenSource source = new();
    readonly PosixSignalRegistration? sigterm;

    public Interrupt()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        if (!OperatingSystem.IsWindows())
            sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                Request();
            });
    }

    public CancellationToken Token => source.Token;

    public bool Requested => source.IsCancellationRequested;

    void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (source.IsCancellationRequested)
            return;   // the second Ctrl-C: let the runtime end the process
        e.Cancel = true;
        Request();
    }

    void Request()
    {
        if (source.IsCancellationRequested)
            return;
        Console.Error.WriteLine("\npolicyc: interrupted; stopping the simulation and writing what was measured (Ctrl-C again to abort)");
        source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        sigterm?.Dispose();
        source.Dispose();
    }
}
