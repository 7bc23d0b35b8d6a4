// Releases and multi-hop upgrades (README: Releases and multi-hop upgrades): a release is a
// named last version, from strata.conf's [releases] section (or --release NAME=V) or from one
// sub-folder per release (release-folders = true). The hops of a plan or an apply are the
// releases its pending steps fall in, each with the rollback point apply records before it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"

namespace strata::cli {

struct Release {
  std::string name;
  Version last;
  std::string origin;  // where it is defined, for messages: a folder, or "--release"
};

// The releases of a run, oldest first, and what the hops need from the files.
struct ReleaseSet {
  std::vector<Release> releases;  // empty: no releases, apply records before-apply-<UTC>
  std::vector<Version> versions;  // every versioned file's version, ascending
};

// One hop of a plan: the pending steps of one release (or of the versions after the last one).
struct Hop {
  std::string release;           // the release's name; "unreleased" after the last release
  Version last;                  // the release's last version (unreleased: the hop's newest)
  std::string point;             // the tag apply records before the hop's first step
  std::string point_recorded_on;  // UTC, when an earlier run recorded it (apply resumes)
  std::vector<size_t> steps;     // indexes into the steps the hops were made of
};

// plan's and apply's --release NAME=V and --release-folders.
void ReleaseOptionsDesc(po::options_description& d);

// The releases of this run: none when neither --release/[releases] nor release-folders is
// set. Throws Error(kUsage) for both ways at once, a release folder with a bad name, folders
// whose versions overlap, a --release value named twice or out of order.
ReleaseSet LoadReleases(const Context& c);

// --target as a version or as a release's name (its last version: a name wins over reading
// it as a version); nullopt when not given. Error(kUsage) for neither.
std::optional<Version> TargetOf(const Context& c, const ReleaseSet& set);

// What apply records: "before-<release>" per release, then "before-unreleased-<newest>" for
// the files above the last release up to `target`.
std::vector<HopPoint> HopPointsOf(const ReleaseSet& set, const std::optional<Version>& target);

// The hops of `steps` (plan's), in order: each versioned step in the hop of HopPointsOf it
// falls in; repeatables (run last) in the last hop. `tags` marks the points that exist.
std::vector<Hop> HopsOf(const ReleaseSet& set, const std::optional<Version>& target,
                        const std::vector<StepResult>& steps, const std::vector<TagInfo>& tags);

}  // namespace strata::cli
