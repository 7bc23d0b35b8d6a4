// The report command of the CLI: report FILE --html OUT, report --diff A.json B.json.
#pragma once

#include "cli.hpp"

namespace strata::cli {

void ReportOptionsDesc(po::options_description& d);
int RunReport(Context& c);

}  // namespace strata::cli
