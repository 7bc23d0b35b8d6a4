// The config file (strata.conf) and the STRATA_* environment as option sources: each value is
// checked where it was read, so an error names FILE:LINE (or the variable), and paths in the
// config file are taken relative to the config file's folder.
#pragma once

#include <boost/program_options.hpp>
#include <set>
#include <string>

namespace strata::cli {

namespace po = boost::program_options;

// The separator of multi-valued options given in one environment variable
// (STRATA_MIGRATIONS=sql/common,sql/app; STRATA_PLACEHOLDER=a=1,b=2).
constexpr char kEnvListSeparator = ',';

// Stores the options of config file `path` (INI: `name = value`, `#`/`;` comments) into
// `vm`. Names in `known` but not in `options` (another command's) are skipped. Throws
// Error(kConfig) at FILE:LINE for an unknown name, one in `command_line_only`, a bad value, a
// single-valued option set twice, or a line that is not `name = value`.
void StoreConfigFile(std::istream& in, const std::string& path,
                     const po::options_description& options, const std::set<std::string>& known,
                     const std::set<std::string>& command_line_only, po::variables_map& vm);

// Stores the STRATA_<NAME> variables that name an option of `options` (not STRATA_PASSWORD,
// nor `skip`) into `vm`; multi-valued ones are split at kEnvListSeparator. Throws
// Error(kConfig) naming the variable for a bad value.
void StoreEnvironment(const po::options_description& options, const std::set<std::string>& skip,
                      po::variables_map& vm);

// Why `name` cannot name a release ("" when it can): 1-100 letters, digits, '.', '_', '-',
// not starting "unreleased". ReleaseValueProblem: the same, and `version` must be a version
// (a release's last version: strata.conf's [releases] NAME = V, --release NAME=V).
std::string ReleaseNameProblem(const std::string& name);
std::string ReleaseValueProblem(const std::string& name, const std::string& version);

}  // namespace strata::cli
