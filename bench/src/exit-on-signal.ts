/**
 * Preloaded (`node -r`) into the indexer only when bench:ingest profiles it
 * (--cpu-prof): SIGTERM then exits through process.exit, so Node writes the
 * CPU profile (it does not when a signal kills the process).
 */
process.once('SIGTERM', () => process.exit(0))
