using Microsoft.Data.Sqlite;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// Sweep rows in a SQLite database, table <c>runs</c>, one row per (sweep, id): a later result of the
/// same cell replaces the earlier one, and rows of every sweep stay side by side to be queried
/// together (docs/authoring.md has example queries). A database written before a column was added
/// gets the column (NULL in its old rows) the next time rows are stored in it.
/// </summary>
public static class SweepDatabase
{
    sealed record Column(string Name, string Type, Func<SweepRow, object?> Value);

    static readonly Column[] Columns =
    [
        new("id", "TEXT NOT NULL", r => r.Id),
        new("cell", "INTEGER NOT NULL", r => r.Cell),
        new("policy", "TEXT NOT NULL", r => r.Policy),
        new("policy_file", "TEXT NOT NULL", r => r.PolicyFile),
        new("scenario", "TEXT NOT NULL", r => r.Scenario),
        new("seed", "INTEGER NOT NULL", r => (long)r.Seed),
        new("verdict", "TEXT NOT NULL", r => r.Verdict),
        new("files_removed", "INTEGER NOT NULL", r => r.FilesRemoved),
        new("files_total", "INTEGER NOT NULL", r => r.FilesTotal),
        new("files_per_second", "REAL NOT NULL", r => r.FilesPerSecond),
        new("completed_s", "REAL", r => r.CompletedS),
        new("livelock_onset_s", "REAL", r => r.LivelockOnsetS),
        new("livelock_recovered_s", "REAL", r => r.LivelockRecoveredS),
        new("kswapd_wakeups", "INTEGER NOT NULL", r => r.KswapdWakeups),
        new("kswapd_slab_freed", "INTEGER NOT NULL", r => r.KswapdSlabFreed),
        new("reclaim_cpu_percent", "REAL NOT NULL", r => r.ReclaimCpuPercent),
        new("simulated_s", "REAL NOT NULL", r => r.SimulatedS),
        new("policy_error", "TEXT", r => r.PolicyError),
        // Added later; nullable, so older databases take them with ALTER TABLE.
        new("livelock_free_percent", "REAL", r => r.LivelockFreePercent),
        new("livelock_swap_free_percent", "REAL", r => r.LivelockSwapFreePercent),
        new("livelock_scan_swap_map_percent", "REAL", r => r.LivelockScanSwapMapPercent),
        new("livelock_anon_scanned", "INTEGER", r => r.LivelockAnonScanned),
        new("livelock_kswapd_asleep_percent", "REAL", r => r.LivelockKswapdAsleepPercent),
        new("livelock_kswapd_d_state_percent", "REAL", r => r.LivelockKswapdDStatePercent),
        new("setup_unfinished", "TEXT", r => r.SetupUnfinished),
        new("scenario_base", "TEXT", r => r.ScenarioBase),
        new("scenario_settings", "TEXT", r => r.ScenarioSettings),
        new("report_bounds_met", "INTEGER", r => r.ReportBoundsMet),
        new("livelock_zones_shrunk", "INTEGER", r => r.LivelockZonesShrunk),
        new("livelock_swap_scans_failed", "INTEGER", r => r.LivelockSwapScansFailed),
        new("livelock_ended_by", "TEXT", r => r.LivelockEndedBy),
    ];

    static string Schema =>
        $"CREATE TABLE IF NOT EXISTS runs (sweep TEXT NOT NULL, {string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"))}, PRIMARY KEY (sweep, id));";

    /// <summary>
    /// Before a sweep: an existing file must be a SQLite database, so that the rows are not lost to
    /// "file is not a database" after every cell has run. A missing or empty file is created by
    /// <see cref="Store"/>.
    /// </summary>
    public static void Check(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
            return;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            Execute(connection, "SELECT count(*) FROM sqlite_master");
            if (ForeignTable(connection) is { } why)
                throw new SweepException($"{path}: cannot store results there: {why}");
        }
        catch (SqliteException e)
        {
            throw new SweepException($"{path}: cannot store results there: {e.Message}");
        }
    }

    /// <summary>
    /// Why an existing <c>runs</c> table is not one policyc wrote, or null (no such table, or one of
    /// ours, perhaps from before a column was added). Only the nullable columns added later can be
    /// added to an old table; a table without the others is someone else's, and is left alone.
    /// </summary>
    static string? ForeignTable(SqliteConnection connection)
    {
        var present = ColumnsOfRuns(connection);
        if (present.Count == 0)
            return null;
        var missing = new[] { "sweep" }.Concat(Columns.Where(c => c.Type.EndsWith("NOT NULL", StringComparison.Ordinal)).Select(c => c.Name))
            .Where(name => !present.Contains(name)).ToArray();
        return missing.Length == 0 ? null
            : $"its table 'runs' is not a sweep's (it has no column {string.Join(", ", missing.Take(3).Select(m => $"'{m}'"))}{(missing.Length > 3 ? ", …" : "")})";
    }

    /// <summary>The columns of table <c>runs</c>; none when there is no such table.</summary>
    static HashSet<string> ColumnsOfRuns(SqliteConnection connection)
    {
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var info = connection.CreateCommand();
        info.CommandText = "PRAGMA table_info(runs)";
        using var reader = info.ExecuteReader();
        while (reader.Read())
            present.Add(reader.GetString(1));
        return present;
    }

    public static void Store(string path, string sweep, IEnumerable<SweepRow> rows)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            // One transaction for the table, its new columns and the rows: a failure changes nothing.
            using var transaction = connection.BeginTransaction();
            if (ForeignTable(connection) is { } why)
                throw new SweepException($"{path}: cannot store the results: {why}");
            Execute(connection, Schema);
            AddMissingColumns(connection);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                $"INSERT OR REPLACE INTO runs (sweep, {string.Join(", ", Columns.Select(c => c.Name))}) " +
                $"VALUES ($sweep, {string.Join(", ", Columns.Select(c => "$" + c.Name))})";
            foreach (var row in rows)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$sweep", sweep);
                foreach (var column in Columns)
                    insert.Parameters.AddWithValue("$" + column.Name, column.Value(row) ?? DBNull.Value);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new SweepException($"{path}: cannot store the results: {e.Message}");
        }
    }

    static void AddMissingColumns(SqliteConnection connection)
    {
        var present = ColumnsOfRuns(connection);
        foreach (var column in Columns.Where(c => !present.Contains(c.Name)))
            Execute(connection, $"ALTER TABLE runs ADD COLUMN {column.Name} {column.Type}");
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
