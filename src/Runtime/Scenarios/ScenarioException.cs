namespace Policyc.Runtime.Scenarios;

/// <summary>An impossible or unreadable scenario: the message names the field and, for files, the position.</summary>
public sealed class ScenarioException(string message) : Exception(message);
