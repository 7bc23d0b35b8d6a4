// Releases (releases.hpp): from --release NAME=V (strata.conf's [releases] section, checked
// at its lines by config_file.cpp) or from the sub-folders of the migration folders, and the
// hops and rollback points of a run.
#include "releases.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "config_file.hpp"
#include "display.hpp"
#include "strata/error.hpp"
#include "strata/resolver.hpp"

namespace strata::cli {
namespace {

namespace fs = std::filesystem;

// The versions of one release folder (a folder of that name in several -m folders counts once).
struct Folder {
  std::string path;  // the first one found
  Version first, last;
};

// The immediate sub-folder of one of `locations` that `path` is in, or "" (directly in one).
std::pair<std::string, std::string> FolderOf(const std::vector<std::string>& locations,
                                             const std::string& path) {
  for (const auto& location : locations) {
    const fs::path rel = fs::path(path).lexically_relative(fs::path(location));
    if (rel.empty() || *rel.begin() == "..") continue;
    if (std::distance(rel.begin(), rel.end()) < 2) return {"", ""};
    const std::string name = rel.begin()->string();
    return {name, (fs::path(location) / name).string()};
  }
  return {"", ""};
}

std::vector<Release> FolderReleases(const Resolved& resolved,
                                    const std::vector<std::string>& locations) {
  std::map<std::string, Folder> folders;
  for (const Migration& m : resolved.versioned) {
    const auto [name, path] = FolderOf(locations, m.path);
    if (name.empty()) continue;
    const std::string problem = ReleaseNameProblem(name);
    if (!problem.empty()) {
      throw Error(ErrorKind::kUsage, "release folder: " + problem)
          .At(path, 0)
          .WithHint("rename the folder, or turn release-folders off");
    }
    auto [it, fresh] = folders.emplace(name, Folder{path, m.name.version, m.name.version});
    it->second.first = std::min(it->second.first, m.name.version);
    it->second.last = std::max(it->second.last, m.name.version);
  }
  if (folders.empty()) {
    throw Error(ErrorKind::kUsage, "release-folders: no sub-folder of the migration folders holds "
                                   "a versioned migration")
        .WithHint("put each release's scripts in a folder named after it (migrations/2.6/...), "
                  "or turn release-folders off");
  }
  std::vector<std::pair<std::string, Folder>> sorted(folders.begin(), folders.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.second.first < b.second.first; });
  std::vector<Release> releases;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const auto& [name, f] = sorted[i];
    if (i > 0 && f.first <= sorted[i - 1].second.last) {
      const auto& [before, b] = sorted[i - 1];
      throw Error(ErrorKind::kUsage,
                  "release folders '" + before + "' (" + b.first.ToString() + " to " +
                      b.last.ToString() + ") and '" + name + "' (" + f.first.ToString() + " to " +
                      f.last.ToString() + ") overlap: a release folder holds one run of versions")
          .At(f.path, 0)
          .WithHint("move the scripts so that each release's versions follow the previous "
                    "release's, or turn release-folders off");
    }
    releases.push_back({name, f.last, f.path});
  }
  return releases;
}

// --release NAME=V values (config lines were checked where they were read): in order, unique.
std::vector<Release> NamedReleases(const std::vector<std::string>& values) {
  std::vector<Release> releases;
  for (const auto& value : values) {
    const size_t eq = value.find('=');  // CheckRelease made sure there is one
    Release r{value.substr(0, eq), *Version::Parse(value.substr(eq + 1)), "--release " + value};
    for (const auto& old : releases) {
      if (old.name == r.name || old.last >= r.last) {
        throw Error(ErrorKind::kUsage, "--release " + value + ": " +
                                           (old.name == r.name ? "release '" + r.name +
                                                                     "' is named twice"
                                                               : "not after release '" + old.name +
                                                                     "' (" + old.last.ToString() +
                                                                     "): name releases oldest first"));
      }
    }
    releases.push_back(std::move(r));
  }
  return releases;
}

void CheckRelease(const std::vector<std::string>& values) {
  for (const auto& value : values) {
    const size_t eq = value.find('=');
    const std::string problem = eq == std::string::npos
                                    ? "--release takes NAME=LAST_VERSION, got '" + value + "'"
                                    : ReleaseValueProblem(value.substr(0, eq), value.substr(eq + 1));
    if (!problem.empty()) throw po::error(problem);
  }
}

}  // namespace

void ReleaseOptionsDesc(po::options_description& d) {
  d.add_options()("release", po::value<std::vector<std::string>>()->value_name("NAME=V")
                                 ->notifier(CheckRelease),
                  "a release and its last version, oldest first, may repeat (strata.conf: a "
                  "[releases] section of NAME = V lines)")(
      "release-folders", po::bool_switch(),
      "each sub-folder of the migration folders is a release named after it");
}

ReleaseSet LoadReleases(const Context& c) {
  ReleaseSet set;
  const bool folders = c.vm.count("release-folders") && c.vm["release-folders"].as<bool>();
  const bool named = c.vm.count("release") > 0;
  if (!folders && !named) return set;
  if (folders && named) {
    throw Error(ErrorKind::kUsage, "releases are named ([releases], --release) and taken from "
                                   "folders (release-folders) at once")
        .WithHint("define the releases one way");
  }
  const Options& o = c.options;
  const Resolved resolved =
      Resolve({o.locations, c.registry.ForUrl(o.url).Name(), o.ignore_unrecognized,
               o.placeholders, o.placeholder_replacement, c.registry.NamesAndAliases()});
  for (const Migration& m : resolved.versioned) set.versions.push_back(m.name.version);
  set.releases = folders ? FolderReleases(resolved, o.locations)
                         : NamedReleases(c.vm["release"].as<std::vector<std::string>>());
  return set;
}

std::optional<Version> TargetOf(const Context& c, const ReleaseSet& set) {
  if (!c.vm.count("target")) return std::nullopt;
  const std::string text = c.vm["target"].as<std::string>();
  for (const auto& r : set.releases) {
    if (r.name == text) return r.last;
  }
  if (auto v = Version::Parse(text)) return v;
  std::string names;
  for (const auto& r : set.releases) names += (names.empty() ? "" : ", ") + r.name;
  throw Error(ErrorKind::kUsage, "--target: '" + text + "' is not a version" +
                                     (names.empty() ? std::string()
                                                    : " nor a release (" + names + ")"));
}

std::vector<HopPoint> HopPointsOf(const ReleaseSet& set, const std::optional<Version>& target) {
  std::vector<HopPoint> points;
  for (const auto& r : set.releases) points.push_back({r.last, "before-" + r.name});
  if (set.releases.empty()) return points;
  std::optional<Version> newest;
  for (const Version& v : set.versions) {
    if (v > set.releases.back().last && (!target || v <= *target)) newest = v;
  }
  if (newest) points.push_back({*newest, "before-unreleased-" + newest->ToString()});
  return points;
}

std::vector<Hop> HopsOf(const ReleaseSet& set, const std::optional<Version>& target,
                        const std::vector<StepResult>& steps, const std::vector<TagInfo>& tags) {
  const std::vector<HopPoint> points = HopPointsOf(set, target);
  std::vector<Hop> hops;
  const HopPoint* current = nullptr;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& version = steps[i].migration.version;
    if (!version) {  // a repeatable: after the versions, in the last hop
      if (!hops.empty()) hops.back().steps.push_back(i);
      continue;
    }
    const HopPoint* in = nullptr;
    for (const HopPoint& p : points) {
      if (*version <= p.last) {
        in = &p;
        break;
      }
    }
    if (!in) continue;  // above every hop: not in a plan HopPointsOf made (target bounds it)
    if (in != current) {
      current = in;
      const bool unreleased = in - points.data() >= static_cast<long>(set.releases.size());
      Hop hop{unreleased ? "unreleased" : set.releases[in - points.data()].name, in->last,
              in->point, "", {}};
      for (const auto& t : tags) {
        if (t.name == hop.point) hop.point_recorded_on = NormalizeTimestamp(t.installed_on);
      }
      hops.push_back(std::move(hop));
    }
    hops.back().steps.push_back(i);
  }
  return hops;
}

}  // namespace strata::cli
