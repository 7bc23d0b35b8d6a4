// PgConnection on libpqxx 6.4, and PgDialect::Connect (this file is compiled only when
// libpqxx is found, STRATA_WITH_POSTGRES). libpqxx exceptions stop here: they are rethrown as
// strata::Error with the SQLSTATE, the server's message and the line within the statement.
#include "dialects/postgres/pg_connection.hpp"

#include "dialects/postgres/pg_driver.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <map>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "dialects/postgres/pg_dialect.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

// The session advisory lock key every strata uses: "strata" in ASCII. Advisory locks are
// scoped to the current database, so two databases on one server do not contend.
constexpr int kLockKey = 0x73747261;  // "stra"

// A value for a libpq "keyword='value'" connection string.
std::string ConnInfoValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

[[noreturn]] void BadUrl(const std::string& what) {
  // Never quotes the URL: a password in it may be what could not be parsed.
  throw Error(ErrorKind::kUsage, "bad PostgreSQL URL: " + what)
      .WithHint("use postgresql://user@host:port/database and give the password in "
                "STRATA_PASSWORD or --password-file (in a URL, write '%' as %25, '?' as %3F)");
}

// `part` ("user name", "password") percent-decoded; throws naming the part, not quoting it.
std::string PercentDecode(const std::string& s, const char* part) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      BadUrl(std::string("the ") + part + " has a '%' not followed by two hex digits");
    }
    const char c = static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    if (c == '\0') BadUrl(std::string("the ") + part + " holds %00 (a NUL byte)");
    out += c;
    i += 2;
  }
  return out;
}

std::string PercentEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The URL with its user name and password percent-encoded anew, so that libpq splits it
// where strata does: the password runs from the first ':' to the LAST '@' before any '?',
// so a raw '@' or ':' in it works. libpq alone would split at the first '@'.
std::string NormalizeUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) BadUrl("no '://' after the scheme");
  const std::string rest = url.substr(scheme_end + 3);
  const size_t at = rest.substr(0, rest.find('?')).rfind('@');
  if (at == std::string::npos) {
    // libpq would take what comes before an '@' after the '?' as user and password.
    if (rest.substr(0, rest.find('/')).find('@') != std::string::npos) {
      BadUrl("cannot tell where the user name and password end (a '?' before the '@')");
    }
    return url;
  }
  const std::string userinfo = rest.substr(0, at);
  const size_t colon = userinfo.find(':');
  std::string encoded = PercentEncode(PercentDecode(userinfo.substr(0, colon), "user name"));
  if (colon != std::string::npos) {
    encoded += ":" + PercentEncode(PercentDecode(userinfo.substr(colon + 1), "password"));
  }
  return url.substr(0, scheme_end + 3) + encoded + rest.substr(at);
}

// What libpq found wrong, in words that quote nothing: its own messages quote the URL.
std::string WhatLibpqFound(const std::string& message) {
  static const std::pair<const char*, const char*> kKnown[] = {
      {"invalid percent-encoded token", "a '%' not followed by two hex digits"},
      {"forbidden value %00", "%00 (a NUL byte)"},
      {"looking for matching \"]\"", "an IPv6 address opened with '[' is never closed by ']'"},
      {"IPv6 host address may not be empty", "an empty IPv6 address '[]'"},
      {"unexpected character", "an unexpected character after the host (expected ':' or '/')"},
      {"extra key/value separator", "a parameter after '?' with two '='"},
      {"missing key/value separator", "a parameter after '?' without '='"},
      {"invalid URI query parameter", "an unknown parameter after '?'"},
      {"invalid connection option", "an unknown parameter after '?'"},
  };
  for (const auto& [found, words] : kKnown) {
    if (message.find(found) != std::string::npos) return words;
  }
  return "libpq cannot read it";
}

// The URL's keywords, as libpq parses a URI (postgresql:// and postgres://). Throws
// Error(kUsage) saying what is wrong without quoting any part of the URL.
std::map<std::string, std::string> ParseUrl(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(NormalizeUrl(url).c_str(), &error);
  if (!options) {
    const std::string message = error ? error : "out of memory";
    PQfreemem(error);
    BadUrl(WhatLibpqFound(message));
  }
  std::map<std::string, std::string> out;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (o->val) out[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  // libpq would quote a bad port when connecting.
  auto port = out.find("port");
  if (port != out.end() && port->second.find_first_not_of("0123456789,") != std::string::npos) {
    BadUrl("the port is not a number");
  }
  return out;
}

std::string Lookup(const std::map<std::string, std::string>& keys, const char* key,
                   const char* env, const std::string& fallback) {
  auto it = keys.find(key);
  if (it != keys.end() && !it->second.empty()) return it->second;
  const char* value = std::getenv(env);
  return value && *value ? value : fallback;
}

}  // namespace

std::string PgCondenseMessage(const std::string& text, int& statement_line) {
  std::istringstream in(text);
  std::string line, out;
  bool caret_next = false;
  while (std::getline(in, line)) {
    if (caret_next) {  // the line under "LINE n:" only points at the column
      caret_next = false;
      continue;
    }
    if (line.rfind("LINE ", 0) == 0) {
      statement_line = std::atoi(line.c_str() + 5);
      caret_next = true;
      continue;
    }
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.empty() || line.rfind("QUERY:", 0) == 0) continue;
    for (const char* prefix : {"ERROR:  ", "FATAL:  "}) {
      if (line.rfind(prefix, 0) == 0) line = line.substr(8);
    }
    for (size_t at = line.find(":  "); at != std::string::npos; at = line.find(":  ", at)) {
      line.erase(at + 1, 1);  // libpq's "DETAIL:  x" reads better as "DETAIL: x"
    }
    out += (out.empty() ? "" : "; ") + line;
  }
  return out;
}

namespace {

[[noreturn]] void Rethrow(const pqxx::sql_error& e) {
  int statement_line = 0;
  Error error(ErrorKind::kSql, PgCondenseMessage(e.what(), statement_line) +
                                   (e.sqlstate().empty() ? "" : " (SQLSTATE " + e.sqlstate() + ")"));
  if (!e.sqlstate().empty()) error.WithSqlState(e.sqlstate());
  if (statement_line > 0) error.AtStatementLine(statement_line);
  throw error;
}

}  // namespace

void PgRethrowCurrent(const std::string& describe) {
  try {
    throw;
  } catch (const pqxx::sql_error& e) {
    Rethrow(e);
  } catch (const pqxx::in_doubt_error& e) {
    throw Error(ErrorKind::kSql, std::string("the connection broke during COMMIT: ") + e.what());
  } catch (const pqxx::broken_connection& e) {
    int unused = 0;
    throw Error(ErrorKind::kConnection,
                "lost the connection to " + describe + ": " + PgCondenseMessage(e.what(), unused));
  } catch (const pqxx::failure& e) {
    throw Error(ErrorKind::kSql, e.what());
  } catch (const pqxx::usage_error& e) {
    throw Error(ErrorKind::kInternal, std::string("libpqxx: ") + e.what());
  }
}

PgConnection::PgConnection(const ConnectOptions& options) {
  const auto keys = ParseUrl(options.url);
  const char* os_user = std::getenv("USER");
  const std::string user = Lookup(keys, "user", "PGUSER", os_user ? os_user : "");
  const std::string host = Lookup(keys, "host", "PGHOST", "localhost");
  const std::string port = Lookup(keys, "port", "PGPORT", "5432");
  describe_ = "postgresql://" + (user.empty() ? "" : user + "@") + host + ":" + port + "/" +
              Lookup(keys, "dbname", "PGDATABASE", user);

  // Keywords the URL leaves out fall back on libpq's own defaults (the PG* variables).
  std::string conninfo;
  for (const auto& [key, value] : keys) {
    if (key == "password" && !options.password.empty()) continue;
    conninfo += key + "=" + ConnInfoValue(value) + " ";
  }
  if (!options.password.empty()) conninfo += "password=" + ConnInfoValue(options.password) + " ";
  if (!keys.count("application_name")) conninfo += "application_name=strata";
  try {
    driver_ = std::make_unique<Driver>(conninfo);
    // The server then notices within 2 s that a killed strata is gone, even in the middle of
    // a long statement or a lock wait, and ends its session: its migration lock goes with it.
    if (driver_->conn.server_version() >= 140000) {
      pqxx::nontransaction(driver_->conn).exec("SET client_connection_check_interval = '2s'");
    }
  } catch (const std::exception& e) {
    // libpq's message names the host and user, never the password.
    int unused = 0;
    throw Error(ErrorKind::kConnection,
                "cannot connect to " + describe_ + ": " + PgCondenseMessage(e.what(), unused))
        .WithHint("check the URL, the password (STRATA_PASSWORD or --password-file) and that the "
                  "server is running");
  }
}

PgConnection::~PgConnection() = default;

void PgConnection::SetNoticeSink(NoticeSink sink) { driver_->notices.sink_ = std::move(sink); }

long long PgConnection::Execute(const std::string& sql) {
  return PgGuard(describe_, [&]() -> long long {
    const pqxx::result r = driver_->Exec(sql);
    // A query's row count is not a change, but CREATE TABLE AS (tag SELECT, no columns) is.
    if (r.columns() > 0) return 0;
    return static_cast<long long>(r.affected_rows());
  });
}

std::vector<Row> PgConnection::Query(const std::string& sql) {
  return PgGuard(describe_, [&] {
    const pqxx::result r = driver_->Exec(sql);
    std::vector<Row> rows;
    rows.reserve(r.size());
    for (const auto& record : r) {
      Row row;
      row.reserve(record.size());
      for (const auto& field : record) {
        if (field.is_null()) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(field.c_str(), field.size()));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

void PgConnection::Begin() {
  if (driver_->tx) throw Error(ErrorKind::kInternal, "Begin() inside a transaction");
  PgGuard(describe_, [&] { driver_->tx = std::make_unique<pqxx::work>(driver_->conn); });
}

void PgConnection::Commit() {
  if (!driver_->tx) throw Error(ErrorKind::kInternal, "Commit() without Begin()");
  auto tx = std::move(driver_->tx);
  try {
    PgGuard(describe_, [&] { tx->commit(); });
  } catch (const Error&) {
    driver_->EndTransaction(false);
    throw;
  }
  driver_->EndTransaction(true);
}

void PgConnection::Rollback() {
  if (!driver_->tx) return;
  try {
    driver_->tx->abort();
  } catch (const std::exception&) {
    // A broken connection rolls back on the server anyway.
  }
  driver_->tx.reset();
  driver_->EndTransaction(false);
}

bool PgConnection::Lock(const std::string& name, std::chrono::milliseconds timeout) {
  // Advisory locks are per database; the two-key form (strata's key, the history table's
  // hash) keeps one lock per history table. Polling pg_try_advisory_lock rather than
  // pg_advisory_lock keeps the wait bounded by --lock-timeout without changing the
  // session's lock_timeout for the migrations.
  lock_keys_ = std::to_string(kLockKey) + ", hashtext(" + PgLiteral(name) + "))";
  const std::string sql = "SELECT pg_try_advisory_lock(" + lock_keys_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto rows = Query(sql);
    if (!rows.empty() && rows[0][0] == std::string("t")) return locked_ = true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void PgConnection::Unlock() {
  if (!locked_) return;
  locked_ = false;
  Query("SELECT pg_advisory_unlock(" + lock_keys_);
}

bool PgConnection::TableExists(const std::string& table) {
  // to_regclass follows search_path and accepts schema.table, like the statements do.
  const auto rows = Query("SELECT to_regclass(" + PgLiteral(table) + ") IS NOT NULL");
  return !rows.empty() && rows[0][0] == std::string("t");
}

void PgConnection::CancelCurrent() noexcept {
  try {
    // libpq's cancel request goes over a connection of its own: safe from another thread.
    driver_->conn.cancel_query();
  } catch (const std::exception&) {
    // Nothing runs, or the server is gone: there is nothing left to cancel.
  }
}

std::vector<std::string> PgConnection::Tables() {
  return QueryColumn("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                     "ORDER BY tablename");
}

std::unique_ptr<Connection> PgDialect::Connect(const ConnectOptions& options) const {
  return std::make_unique<PgConnection>(options);
}

std::vector<Connection::ColumnInfo> PgConnection::Columns(const std::string& table) {
  std::string name;  // unquoted names fold to lower case
  for (char c : table) name += c == '\'' ? std::string("''") : std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::vector<ColumnInfo> out;
  for (const Row& r : Query("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = '" + name +
                            "' ORDER BY ordinal_position")) {
    out.push_back({r[0].value_or(""), r[1].value_or(""), r[2].value_or("") == "YES"});
  }
  return out;
}

}  // namespace strata
