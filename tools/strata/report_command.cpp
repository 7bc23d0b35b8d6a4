// strata report: a pilot report as one self-contained HTML page (FILE --html OUT), or two
// reports side by side (--diff A.json B.json; text, --json, --html OUT). Reads files only.
#include <fstream>

#include "report_command.hpp"
#include "report_diff.hpp"
#include "report_html.hpp"
#include "report_reader.hpp"
#include "strata/error.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

// Writes `page` to `path`, or throws Error(kUsage) naming it.
void WritePage(const std::string& page, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << page) || !out.flush()) throw Error(ErrorKind::kUsage, "cannot write").At(path, 0);
}

void SayWritten(Context& c, const std::string& path, size_t bytes) {
  if (c.json) {
    c.out << json{{"html", path}, {"bytes", bytes}}.dump(2) << '\n';
  } else {
    c.out << "wrote " << path << " (" << bytes << " bytes)\n";
  }
}

DiffThreshold ThresholdOf(const po::variables_map& vm) {
  DiffThreshold t;
  t.ratio = vm["threshold"].as<double>() / 100;
  t.ms = vm["threshold-ms"].as<long long>();
  if (!(t.ratio >= 0) || t.ms < 0) {
    throw Error(ErrorKind::kUsage, "--threshold and --threshold-ms must be 0 or more");
  }
  return t;
}

int RunDiff(Context& c) {
  const auto files = c.vm["diff"].as<std::vector<std::string>>();
  if (files.size() != 2 || c.vm.count("file")) {
    throw Error(ErrorKind::kUsage, "report --diff needs two reports: --diff A.json B.json");
  }
  const DiffThreshold t = ThresholdOf(c.vm);
  const json a = ReadReportJson(files[0]);
  const json b = ReadReportJson(files[1]);
  const ReportDiff diff = DiffReports(a, b, t);
  if (c.vm.count("html")) {
    WritePage(DiffHtml(diff, files[0], files[1], t), c.vm["html"].as<std::string>());
  }
  if (c.json) {
    c.out << DiffJson(diff, files[0], files[1], t).dump(2) << '\n';
  } else {
    PrintDiffText(c.out, diff, files[0], files[1], t);
  }
  return 0;
}

}  // namespace

void ReportOptionsDesc(po::options_description& d) {
  d.add_options()("file", po::value<std::string>()->value_name("FILE"),
                  "the report (pilot --report, apply --report, estimate --out)")(
      "html", po::value<std::string>()->value_name("OUT"),
      "write the page (FILE's; with --diff, the diff's) to OUT")(
      "estimate", po::value<std::string>()->value_name("EST.json"),
      "show this estimate (estimate --json's output, or estimate --out's report)")(
      "diff", po::value<std::vector<std::string>>()->multitoken()->value_name("A.json B.json"),
      "compare two reports step by step")(
      "threshold", po::value<double>()->default_value(20)->value_name("PCT"),
      "--diff: slower/faster when B is PCT % above/below A ...")(
      "threshold-ms", po::value<long long>()->default_value(100)->value_name("MS"),
      "--diff: ... and at least MS ms apart");
}

int RunReport(Context& c) {
  if (c.vm.count("diff")) return RunDiff(c);
  if (!c.vm.count("file") || !c.vm.count("html")) {
    throw Error(ErrorKind::kUsage,
                "report needs FILE --html OUT, or --diff A.json B.json (see strata report --help)");
  }
  const std::string path = c.vm["file"].as<std::string>();
  const json report = ReadReportJson(path);
  const json estimate =
      c.vm.count("estimate") ? ReadJsonFile(c.vm["estimate"].as<std::string>()) : json(nullptr);
  if (!estimate.is_null() &&
      (!estimate.is_object() || !(estimate.contains("total_ms") || estimate.contains("estimate")))) {
    throw Error(ErrorKind::kUsage, "not an estimate (estimate --json's output)")
        .At(c.vm["estimate"].as<std::string>(), 1);
  }
  const std::string page = ReportHtml(report, estimate);
  const std::string out = c.vm["html"].as<std::string>();
  WritePage(page, out);
  SayWritten(c, out, page.size());
  return 0;
}

}  // namespace strata::cli
