// Restoring a dump into the pilot's target: pg_dump plain SQL (strata's splitter, COPY blocks
// sent with Connection::CopyFrom), pg_dump custom format (pg_restore), mysqldump output and
// SQLite .dump; any of them gzip-compressed (found by its magic bytes). Streamed: memory stays
// flat whatever the dump's size.
#pragma once

#include <string>

#include "report_recorder.hpp"
#include "strata/dialect.hpp"

namespace strata::cli {

// Restores `dump` through `conn` (custom format: pg_restore, with the password in its
// environment only). Prints a progress line (bytes, statements, rate) on a terminal.
// Throws Error(kUsage) for a dump that is not of the target's format, corrupt or truncated,
// and Error(kSql) for a statement the database refused: both name the line (or the byte
// offset of a compressed dump) and say the target holds a partial restore.
RestoreRecord RestoreDump(const Dialect& dialect, Connection& conn, const ConnectOptions& connect,
                          const std::string& dump);

}  // namespace strata::cli
