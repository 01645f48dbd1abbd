using Microsoft.Data.Sqlite;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// Sweep rows in a SQLite database, table <c>runs</c>, one row per (sweep, id): a later result of the
/// same cell replaces the earlier one, and rows of every sweep stay side by side to be queried
/// together (docs/authoring.md has example queries).
/// </summary>
public static class SweepDatabase
{
    const string Schema = """
        CREATE TABLE IF NOT EXISTS runs (
          sweep TEXT NOT NULL,
          id TEXT NOT NULL,
          cell INTEGER NOT NULL,
          policy TEXT NOT NULL,
          policy_file TEXT NOT NULL,
          scenario TEXT NOT NULL,
          seed INTEGER NOT NULL,
          verdict TEXT NOT NULL,
          files_removed INTEGER NOT NULL,
          files_total INTEGER NOT NULL,
          files_per_second REAL NOT NULL,
          completed_s REAL,
          livelock_onset_s REAL,
          livelock_recovered_s REAL,
          kswapd_wakeups INTEGER NOT NULL,
          kswapd_slab_freed INTEGER NOT NULL,
          reclaim_cpu_percent REAL NOT NULL,
          simulated_s REAL NOT NULL,
          policy_error TEXT,
          PRIMARY KEY (sweep, id)
        );
        """;

    public static void Store(string path, string sweep, IEnumerable<SweepRow> rows)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = Schema;
                create.ExecuteNonQuery();
            }
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT OR REPLACE INTO runs VALUES ($sweep, $id, $cell, $policy, $policy_file, $scenario, $seed, $verdict,
                  $files_removed, $files_total, $files_per_second, $completed_s, $livelock_onset_s, $livelock_recovered_s,
                  $kswapd_wakeups, $kswapd_slab_freed, $reclaim_cpu_percent, $simulated_s, $policy_error)
                """;
            foreach (var row in rows)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$sweep", sweep);
                insert.Parameters.AddWithValue("$id", row.Id);
                insert.Parameters.AddWithValue("$cell", row.Cell);
                insert.Parameters.AddWithValue("$policy", row.Policy);
                insert.Parameters.AddWithValue("$policy_file", row.PolicyFile);
                insert.Parameters.AddWithValue("$scenario", row.Scenario);
                insert.Parameters.AddWithValue("$seed", (long)row.Seed);
                insert.Parameters.AddWithValue("$verdict", row.Verdict);
                insert.Parameters.AddWithValue("$files_removed", row.FilesRemoved);
                insert.Parameters.AddWithValue("$files_total", row.FilesTotal);
                insert.Parameters.AddWithValue("$files_per_second", row.FilesPerSecond);
                insert.Parameters.AddWithValue("$completed_s", (object?)row.CompletedS ?? DBNull.Value);
                insert.Parameters.AddWithValue("$livelock_onset_s", (object?)row.LivelockOnsetS ?? DBNull.Value);
                insert.Parameters.AddWithValue("$livelock_recovered_s", (object?)row.LivelockRecoveredS ?? DBNull.Value);
                insert.Parameters.AddWithValue("$kswapd_wakeups", row.KswapdWakeups);
                insert.Parameters.AddWithValue("$kswapd_slab_freed", row.KswapdSlabFreed);
                insert.Parameters.AddWithValue("$reclaim_cpu_percent", row.ReclaimCpuPercent);
                insert.Parameters.AddWithValue("$simulated_s", row.SimulatedS);
                insert.Parameters.AddWithValue("$policy_error", (object?)row.PolicyError ?? DBNull.Value);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new SweepException($"{path}: cannot store the results: {e.Message}");
        }
    }
}
