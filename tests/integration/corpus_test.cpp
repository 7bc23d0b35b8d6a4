// Real products' scripts applied through strata on real servers, compared with the database's
// own client applying the same files: WSO2 API-M full schemas (PostgreSQL, MariaDB), WSO2's
// official upgrade chain, and the Apache Fineract Flyway folder (403 MariaDB migrations). The corpus is read from
// ../shared/corpus next to the source tree; without it (or the clients) each case is skipped.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <regex>
#include <sstream>

#include "support/test_support.hpp"

using namespace strata::test;
namespace fs = boost::filesystem;

namespace {

const std::string kCorpus = STRATA_SOURCE_DIR "/../shared/corpus";

// The corpus folder and the database's own client; without either the case is skipped (under
// CI it fails).
bool HaveCorpusAnd(const std::string& path, const char* client) {
  if (!fs::exists(kCorpus + "/" + path)) {
    SkipBecause("no corpus at " + kCorpus + "/" + path);
    return false;
  }
  if (RunShell(std::string("command -v ") + client).exit_code != 0) {
    SkipBecause(std::string(client) + " is not installed");
    return false;
  }
  return true;
}

// Drops lines that differ between two databases of identical schema.
std::string Normalize(const std::string& dump, const std::string& database) {
  static const std::regex auto_increment(" AUTO_INCREMENT=[0-9]+");
  std::istringstream in(std::regex_replace(dump, auto_increment, ""));
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("\\restrict", 0) == 0 || line.rfind("\\unrestrict", 0) == 0) continue;
    for (size_t at = line.find(database); at != std::string::npos; at = line.find(database, at)) {
      line.replace(at, database.size(), "<db>");
    }
    out += line + "\n";
  }
  return out;
}

std::string PgSchema(const std::string& url) {
  const auto r = RunShell(ClientCommand("pg_dump", url) +
                          " --schema-only --no-owner --no-privileges -T 'strata_history*'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return Normalize(r.out, SplitUrl(url).database);
}

std::string MySchema(const std::string& url) {
  const UrlParts u = SplitUrl(url);
  const auto r = RunShell(ClientCommand("mariadb-dump", url) +
                          " --no-data --skip-comments --no-tablespaces --routines --triggers"
                          " --skip-dump-date --ignore-table=" + u.database + ".strata_history --ignore-table=" +
                          u.database + ".strata_history_journal --ignore-table=" + u.database +
                          ".strata_history_meta --ignore-table=" + u.database +
                          ".strata_history_checkpoints --ignore-table=" + u.database +
                          ".strata_history_scripts --ignore-table=" + u.database +
                          ".strata_history_preimages " +
                          u.database);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return Normalize(r.out, u.database);
}

// "table: rows" for every table but the history.
std::string RowCounts(const std::string& url, const std::string& tables_sql,
                      const std::string& quote) {
  auto c = OpenConnection(url);
  std::string out;
  for (const auto& row : c->Query(tables_sql)) {
    const std::string table = row[0].value_or("");
    if (table.rfind("strata_history", 0) == 0) continue;  // strata's own tables
    out += table + ": " +
           c->Query("SELECT count(*) FROM " + quote + table + quote)[0][0].value_or("") + "\n";
  }
  return out;
}

std::string PgRowCounts(const std::string& url) {
  return RowCounts(url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                        "ORDER BY 1", "\"");
}

std::string MyRowCounts(const std::string& url) {
  return RowCounts(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                        "DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1", "`");
}

}  // namespace

namespace {

// What differs between the servers in the corpus comparisons.
struct Server {
  const char* dialect;
  const char* script;  // file name of its scripts in the WSO2 folders
  std::string (*schema)(const std::string& url);
  std::string (*row_counts)(const std::string& url);
};
const Server kPostgres = {"postgres", "postgresql.sql", PgSchema, PgRowCounts};
const Server kMySql = {"mysql", "mysql.sql", MySchema, MyRowCounts};

// Two fresh databases of `server`; WSO2 documents latin1 databases for MySQL (with utf8mb4,
// 4.2.0's IDX_TK_VALUE_TYPE exceeds the 3072-byte key limit, error 1071, for any client).
std::pair<Target, Target> TwoDatabases(const Server& server, const TempDir& dir) {
  std::pair<Target, Target> targets = {FreshTarget(server.dialect, dir),
                                       FreshTarget(server.dialect, dir)};
  if (std::string(server.dialect) == "mysql") {
    for (const Target* t : {&targets.first, &targets.second}) {
      OpenConnection(t->url)->Execute("ALTER DATABASE CHARACTER SET latin1");
    }
  }
  return targets;
}

// Each WSO2 API-M full schema as one migration through strata, and through the client.
void CompareFullSchemas(const Server& server, const std::string& first_table) {
  for (const char* version : {"2.6.0", "3.2.0", "4.0.0", "4.2.0"}) {
    const std::string file = kCorpus + "/wso2-apim/" + version + "/apimgt/" + server.script;
    INFO(file);
    TempDir dir;
    auto [strata_db, by_client] = TwoDatabases(server, dir);
    Project by_strata(dir, strata_db);
    fs::create_directories(by_strata.migrations());
    fs::copy_file(file, by_strata.migrations() + "/V1__apimgt.sql");
    const auto r = by_strata.Strata({"apply"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto client = RunShell(ClientApplyCommand(by_client.url, file));
    INFO(client.err);
    REQUIRE(client.exit_code == 0);
    const std::string schema = server.schema(by_strata.url());
    CHECK_THAT(schema, Catch::Contains(first_table));
    CHECK(schema == server.schema(by_client.url));
    CHECK(server.row_counts(by_strata.url()) == server.row_counts(by_client.url));
  }
}

}  // namespace

TEST_CASE("corpus: WSO2 API-M PostgreSQL schemas through strata equal psql -f",
          "[postgres][corpus]") {
  if (!LiveOrWarn("postgres") || !HaveCorpusAnd("wso2-apim", "pg_dump")) return;
  CompareFullSchemas(kPostgres, "CREATE TABLE public.am_api (");
}

TEST_CASE("corpus: WSO2 API-M MySQL schemas through strata equal the mariadb client",
          "[mysql][corpus]") {
  if (!LiveOrWarn("mysql") || !HaveCorpusAnd("wso2-apim", "mariadb-dump")) return;
  CompareFullSchemas(kMySql, "CREATE TABLE `AM_API` (");
}

TEST_CASE("corpus: Apache Fineract's 403 Flyway migrations on MariaDB", "[mysql][corpus]") {
  const std::string folder = "apache-fineract/1.6.0/core_db";
  if (!LiveOrWarn("mysql") || !HaveCorpusAnd(folder, "mariadb-dump")) return;
  const std::string source = kCorpus + "/" + folder;
  TempDir dir;
  Project p(dir, FreshTarget("mysql", dir));
  const std::string misnamed = "V366_remove_leading_or_trailing_spaces_in_reportnames.sql";

  // Strict by default: the one misnamed file stops everything before the database is touched.
  auto r = RunStrata({"-d", p.url(), "-m", source, "apply"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(misnamed + ": bad migration file name"));
  CHECK(MyRowCounts(p.url()).empty());

  // ${currentUserHierarchy} and the like inside Fineract's report SQL are parameters of its
  // report engine, not migration placeholders: without --no-placeholders they are refused.
  r = RunStrata({"-d", p.url(), "-m", source, "--ignore-unrecognized", "apply"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("V4__mifosx-core-reports-utf8.sql:24: undefined placeholder"));
  CHECK(MyRowCounts(p.url()).empty());

  const std::vector<std::string> args = {"-d", p.url(), "-m", source, "--ignore-unrecognized",
                                         "--no-placeholders", "apply"};
  r = RunStrata(args, dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Applied 403 migrations"));
  const std::string all_output = r.out + r.err;
  size_t warnings = 0;
  for (size_t at = all_output.find("strata: warning:"); at != std::string::npos;
       at = all_output.find("strata: warning:", at + 1)) {
    ++warnings;
  }
  CHECK(warnings == 1);
  CHECK_THAT(all_output, Catch::Contains(misnamed));
  CHECK(QueryValue(p.url(), "SELECT count(*) FROM strata_history WHERE kind <> 'tag' AND "
                            "success = 1") == "403");
  CHECK(QueryValue(p.url(), "SELECT count(DISTINCT version) FROM strata_history") == "403");
  CHECK(QueryValue(p.url(), "SELECT script FROM strata_history WHERE version = '118.7'") ==
        "V118_7__move_withdrawal_annual_fee_to_charges.sql");
  r = RunStrata(args, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Nothing to apply"));

  // The mariadb client, one process per file, in version order (numeric, part by part).
  std::vector<std::pair<std::vector<long>, std::string>> files;
  static const std::regex name("V([0-9]+(?:_[0-9]+)*)__.*\\.sql");
  for (const auto& entry : fs::directory_iterator(source)) {
    const std::string file = entry.path().filename().string();
    std::smatch m;
    if (!std::regex_match(file, m, name)) continue;
    std::vector<long> parts;
    std::istringstream digits(m[1].str());
    for (std::string part; std::getline(digits, part, '_');) parts.push_back(std::stol(part));
    files.emplace_back(parts, file);
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 403);
  const Target by_client = FreshTarget("mysql", dir);
  std::string script = "set -e\n";
  for (const auto& [version, file] : files) {
    script += ClientApplyCommand(by_client.url, source + "/" + file) + "\n";
  }
  const auto client = RunShell(script);
  INFO(client.err);
  REQUIRE(client.exit_code == 0);
  CHECK(MySchema(p.url()) == MySchema(by_client.url));
  CHECK(MyRowCounts(p.url()) == MyRowCounts(by_client.url));
}

namespace {

// WSO2 API-M's own upgrade path as one strata project: the 2.6.0 schema, then the official
// scripts to 3.0.0, 3.1.0, 3.2.0, 4.0.0 and 4.1.0, one version each.
const std::vector<std::pair<std::string, std::string>> kWso2Chain = {
    {"V2_6_0__apimgt_schema.sql", "2.6.0/apimgt"},
    {"V3_0_0__upgrade.sql", "migration/2.6.0_to_3.0.0"},
    {"V3_1_0__upgrade.sql", "migration/3.0.0_to_3.1.0"},
    {"V3_2_0__upgrade.sql", "migration/3.1.0_to_3.2.0"},
    {"V4_0_0__upgrade.sql", "migration/3.2.0_to_4.0.0"},
    {"V4_1_0__upgrade.sql", "migration/4.0.0_to_4.1.0"}};

void WriteChain(const Server& server, const Project& p) {
  fs::create_directories(p.migrations());
  for (const auto& [name, folder] : kWso2Chain) {
    fs::copy_file(kCorpus + "/wso2-apim/" + folder + "/" + server.script,
                  p.migrations() + "/" + name);
  }
}

// The client applies the first `files` of the chain (from `migrations`), one process each;
// all but the last must succeed. Returns what the last one printed on stderr.
std::string ClientAppliesChain(const std::string& url, const std::string& migrations,
                               size_t files) {
  std::string last_error;
  for (size_t i = 0; i < files; ++i) {
    const auto c = RunShell(ClientApplyCommand(url, migrations + "/" + kWso2Chain[i].first));
    if (i + 1 < files) {
      INFO(c.err);
      REQUIRE(c.exit_code == 0);
    }
    last_error = c.err;
  }
  return last_error;
}

}  // namespace

// The official 3.0.0 -> 3.1.0 script adds AM_API.API_UUID, which the 2.6.0 -> 3.0.0 script has
// already added, so the chain cannot pass 3.1.0 as published. What matters to a DBA is that
// strata stops exactly where the database's own client stops, names the same line, and
// leaves the database as the client's semantics say.
TEST_CASE("corpus: WSO2 API-M upgrade chain stops where psql stops, rolled back",
          "[postgres][corpus]") {
  if (!LiveOrWarn("postgres") || !HaveCorpusAnd("wso2-apim/migration", "psql")) return;
  TempDir dir;
  auto [strata_db, by_client] = TwoDatabases(kPostgres, dir);
  Project by_strata(dir, strata_db);
  WriteChain(kPostgres, by_strata);
  const auto r = by_strata.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("V3_1_0__upgrade.sql:34: column \"api_uuid\" of relation "
                                    "\"am_api\" already exists (SQLSTATE 42701)"));
  CHECK(QueryValue(by_strata.url(), "SELECT string_agg(version, ' ' ORDER BY installed_rank) "
                                    "FROM strata_history") == "2.6.0 3.0.0");

  // psql with ON_ERROR_STOP names the same line; 3.1.0 rolled back by strata equals the
  // database after the client's first two files.
  CHECK_THAT(ClientAppliesChain(by_client.url, by_strata.migrations(), 3),
             Catch::Contains("V3_1_0__upgrade.sql:34: ERROR:  column \"api_uuid\""));
  const Target after_two = FreshTarget("postgres", dir);
  ClientAppliesChain(after_two.url, by_strata.migrations(), 2);
  CHECK(PgSchema(by_strata.url()) == PgSchema(after_two.url));
}

TEST_CASE("corpus: WSO2 API-M upgrade chain stops where the mariadb client stops, journaled",
          "[mysql][corpus]") {
  if (!LiveOrWarn("mysql") || !HaveCorpusAnd("wso2-apim/migration", "mariadb")) return;
  TempDir dir;
  auto [strata_db, by_client] = TwoDatabases(kMySql, dir);
  Project by_strata(dir, strata_db);
  WriteChain(kMySql, by_strata);
  const auto r = by_strata.Strata({"apply"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("V3_1_0__upgrade.sql:31: Duplicate column name 'API_UUID'"));
  CHECK_THAT(r.err, Catch::Contains("of version 3.1.0 (up to line"));
  CHECK(QueryValue(by_strata.url(), "SELECT GROUP_CONCAT(CONCAT(version, ':', success) ORDER BY "
                                    "installed_rank SEPARATOR ' ') FROM strata_history") ==
        "2.6.0:1 3.0.0:1");
  CHECK(QueryValue(by_strata.url(), "SELECT step FROM strata_history_journal") == "3.1.0");
  CHECK(by_strata.Strata({"validate"}).exit_code == 1);

  // MySQL commits as it goes: the client stops at the same line with the same statements
  // before it applied, so both databases are alike.
  CHECK_THAT(ClientAppliesChain(by_client.url, by_strata.migrations(), 3),
             Catch::Contains("ERROR 1060 (42S21) at line 31"));
  CHECK(MySchema(by_strata.url()) == MySchema(by_client.url));
}
