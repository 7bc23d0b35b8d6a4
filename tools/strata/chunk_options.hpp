// The options of chunked steps (--chunk-rows, --chunk-ms, --max-rows-per-sec, --throttle-query
// with --throttle-limit, --pause-file, --workers, --no-pipeline): their description and checks, and the
// engine's ChunkOptions built from them (README: Chunked processing, Options and progress).
#pragma once

#include <boost/program_options.hpp>

#include "strata/engine.hpp"

namespace strata::cli {

namespace po = boost::program_options;

// Adds the chunk options to `d` (apply's, and any command that applies). Each value is
// checked by its notifier: a count, rate or time that is not a number above 0 is refused
// naming the option (and, read from strata.conf, FILE:LINE).
void AddChunkOptions(po::options_description& d);

// Options::chunks from the parsed variables; defaults for those not given (a command without
// the chunk options gets the defaults). Throws Error(kUsage) for --throttle-query without
// --throttle-limit or the reverse.
ChunkOptions ChunkOptionsFrom(const po::variables_map& vm);

}  // namespace strata::cli
