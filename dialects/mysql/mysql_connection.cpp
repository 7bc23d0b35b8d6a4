// MySqlConnection on mysql-connector-c++ 1.1 and MySqlDialect::Connect (this file is compiled
// only when the connector is found, STRATA_WITH_MYSQL). Connector exceptions stop here: they
// are rethrown as strata::Error with the server's error code, SQLSTATE and message.
#include "dialects/mysql/mysql_connection.hpp"

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <cppconn/warning.h>

#include <cctype>
#include <cstdio>
#include <functional>
#include <cstdlib>
#include <regex>

#include "dialects/mysql/mysql_dialect.hpp"
#include "strata/error.hpp"

namespace strata {
namespace {

struct UrlParts {
  std::string user, password, host, port, database;
  bool has_password = false;
};

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

const char* Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

// mysql://[user[:password]@]host[:port]/database; what is left out comes from USER,
// MYSQL_HOST, MYSQL_TCP_PORT. The password runs from the first ':' to the LAST '@', so a raw
// '@', ':', '/' or '?' in it works. Errors never quote the URL: a password may be in it.
UrlParts ParseUrl(const std::string& url) {
  auto bad = [](const std::string& why) {
    return Error(ErrorKind::kUsage, "bad MySQL URL: " + why)
        .WithHint("use mysql://user@host:port/database and give the password in "
                  "STRATA_PASSWORD or --password-file");
  };
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw bad("no '://' after the scheme");
  std::string rest = url.substr(scheme_end + 3);
  UrlParts p;
  const size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    const std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const size_t colon = userinfo.find(':');
    p.user = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string::npos) {
      p.password = PercentDecode(userinfo.substr(colon + 1));
      p.has_password = true;
    }
  }
  if (rest.find('?') != std::string::npos) throw bad("query parameters are not supported");
  const size_t slash = rest.find('/');
  if (slash == std::string::npos || slash + 1 == rest.size()) throw bad("no database after '/'");
  p.database = PercentDecode(rest.substr(slash + 1));
  const std::string authority = rest.substr(0, slash);
  const size_t colon = authority.rfind(':');
  p.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    p.port = authority.substr(colon + 1);
    if (p.port.empty() || p.port.find_first_not_of("0123456789") != std::string::npos) {
      throw bad("the port is not a number");
    }
  }
  if (p.user.empty()) p.user = Env("USER", "");
  if (p.host.empty()) p.host = Env("MYSQL_HOST", "127.0.0.1");
  if (p.port.empty()) p.port = Env("MYSQL_TCP_PORT", "3306");
  return p;
}

// The server's text on one line: a syntax error quotes the statement from where the parser
// gave up, line breaks included; each becomes the two characters "\n".
std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF
    out += text[i] == '\n' || text[i] == '\r' ? std::string("\\n") : std::string(1, text[i]);
  }
  return out;
}

// The server's message with its error code; a syntax error's "at line N" is the line
// within the statement, which the executor turns into FILE:LINE.
[[noreturn]] void Rethrow(const sql::SQLException& e, ErrorKind kind) {
  std::string message = e.what();
  // The client's "server has gone away" (2006), "lost connection" (2013, 2055) and a session
  // killed on the server (1927, 4031) mean the connection is gone, not that the SQL is wrong.
  for (int gone : {2006, 2013, 2055, 1927, 4031}) {
    if (e.getErrorCode() == gone) kind = ErrorKind::kConnection;
  }
  Error error(kind, OneLine(message) + " (MySQL error " + std::to_string(e.getErrorCode()) +
                        (e.getSQLState().empty() ? "" : ", SQLSTATE " + e.getSQLState()) + ")");
  if (!e.getSQLState().empty()) error.WithSqlState(e.getSQLState());
  static const std::regex at_line(" at line ([0-9]+)$");
  std::smatch m;
  if (std::regex_search(message, m, at_line)) error.AtStatementLine(std::stoi(m[1]));
  throw error;
}

std::string Literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c == '\'' ? '\'' : '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

struct MySqlConnection::Driver {
  sql::ConnectOptionsMap options;  // to open the second connection that cancels a statement
  std::string connection_id;       // CONNECTION_ID() of this session
  std::unique_ptr<sql::Connection> conn;
  std::unique_ptr<sql::Statement> statement;
  std::unique_ptr<sql::Statement> streaming;  // QueryEach's: rows read as they arrive
};

MySqlConnection::MySqlConnection(const ConnectOptions& options) {
  const UrlParts url = ParseUrl(options.url);
  describe_ = "mysql://" + (url.user.empty() ? "" : url.user + "@") + url.host + ":" + url.port +
              "/" + url.database;
  database_ = url.database;
  const std::string password = !options.password.empty() ? options.password
                               : url.has_password        ? url.password
                                                         : Env("MYSQL_PWD", "");
  sql::ConnectOptionsMap connect;
  connect["hostName"] = sql::SQLString("tcp://" + url.host + ":" + url.port);
  connect["userName"] = sql::SQLString(url.user);
  connect["password"] = sql::SQLString(password);
  connect["schema"] = sql::SQLString(url.database);
  connect["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  connect["OPT_CONNECT_TIMEOUT"] = 10;
  driver_ = std::make_unique<Driver>();
  try {
    driver_->conn.reset(get_driver_instance()->connect(connect));
    driver_->statement.reset(driver_->conn->createStatement());
    std::unique_ptr<sql::ResultSet> id(driver_->statement->executeQuery("SELECT CONNECTION_ID()"));
    if (id->next()) driver_->connection_id = std::string(id->getString(1));
    driver_->options = connect;
  } catch (const sql::SQLException& e) {
    // The server's message names the user and host, never the password.
    throw Error(ErrorKind::kConnection, "cannot connect to " + describe_ + ": " +
                                            OneLine(e.what()) + " (MySQL error " +
                                            std::to_string(e.getErrorCode()) + ")")
        .WithHint("check the URL, the password (STRATA_PASSWORD or --password-file) and that the "
                  "server is running");
  }
}

MySqlConnection::~MySqlConnection() = default;

void MySqlConnection::ReportWarnings(bool returned_rows) {
  if (!notices_) return;
  sql::Statement& st = *driver_->statement;
  // After a statement without rows the connector knows from the server's OK packet whether
  // there are warnings. After one with rows it does not (the count follows the rows, which
  // the connector reads later), so strata asks.
  if (!returned_rows && !st.getWarnings()) return;
  std::unique_ptr<sql::ResultSet> rs(st.executeQuery("SHOW WARNINGS"));
  while (rs->next()) {
    std::string level = rs->getString(1);
    for (char& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    notices_(OneLine(rs->getString(3)) + " (MySQL " + level + " " + rs->getString(2) + ")");
    warnings_listed_ = true;
  }
}

void MySqlConnection::ClearWarnings() {
  // SHOW WARNINGS lists the last statement that had any, until a statement that reads a
  // table clears it: a later SELECT without table and without warnings would seem to have
  // them. A derived table counts as one.
  if (!warnings_listed_) return;
  warnings_listed_ = false;
  driver_->statement->execute("DO (SELECT 1 FROM (SELECT 1) AS strata_clear_warnings)");
}

long long MySqlConnection::Execute(const std::string& sql) {
  sql::Statement& st = *driver_->statement;
  long long changed = 0;
  try {
    ClearWarnings();
    // A CALL returns one result per SELECT in the procedure plus a status: all must be
    // drained, or the next statement fails with "Commands out of sync".
    bool has_rows = st.execute(sql);
    bool returned_rows = has_rows;
    for (;;) {
      if (has_rows) {
        std::unique_ptr<sql::ResultSet> rs(st.getResultSet());
        while (rs->next()) {
        }
      } else {
        const auto count = static_cast<long long>(st.getUpdateCount());
        if (count < 0) break;
        changed += count;
      }
      has_rows = st.getMoreResults();
      returned_rows = returned_rows || has_rows;
      if (!has_rows && static_cast<long long>(st.getUpdateCount()) < 0) break;
    }
    ReportWarnings(returned_rows);
  } catch (const sql::SQLException& e) {
    warnings_listed_ = true;  // the error is listed now
    Rethrow(e, ErrorKind::kSql);
  }
  return changed;
}

std::vector<Row> MySqlConnection::Query(const std::string& sql) {
  sql::Statement& st = *driver_->statement;
  std::vector<Row> rows;
  try {
    ClearWarnings();
    // The first result set is the answer; a statement without one answers no rows. Any
    // further results (a CALL's status) are drained.
    bool has_rows = st.execute(sql);
    bool first = true;
    while (has_rows || static_cast<long long>(st.getUpdateCount()) >= 0) {
      if (has_rows) {
        std::unique_ptr<sql::ResultSet> rs(st.getResultSet());
        const unsigned columns = rs->getMetaData()->getColumnCount();
        while (rs->next()) {
          if (!first) continue;
          Row row;
          row.reserve(columns);
          for (unsigned i = 1; i <= columns; ++i) {
            if (rs->isNull(i)) {
              row.emplace_back(std::nullopt);
            } else {
              row.emplace_back(std::string(rs->getString(i)));
            }
          }
          rows.push_back(std::move(row));
        }
        first = false;
      }
      has_rows = st.getMoreResults();
    }
    // Query reads strata's own tables (history, journal) and takes the lock: it does not ask
    // the server about the warnings of a statement with rows, which would double the round
    // trips of a no-op apply for warnings these reads never have. Migrations run by Execute.
    ReportWarnings(false);
  } catch (const sql::SQLException& e) {
    warnings_listed_ = true;
    Rethrow(e, ErrorKind::kSql);
  }
  return rows;
}

void MySqlConnection::QueryEach(const std::string& sql,
                                const std::function<void(const Row&)>& each) {
  try {
    ClearWarnings();
    if (!driver_->streaming) {
      // A forward-only result is read with mysql_use_result: row by row from the server,
      // not stored first. Freeing it early reads (and drops) the rest.
      driver_->streaming.reset(driver_->conn->createStatement());
      driver_->streaming->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
    }
    std::unique_ptr<sql::ResultSet> rs(driver_->streaming->executeQuery(sql));
    const unsigned columns = rs->getMetaData()->getColumnCount();
    Row row(columns);
    while (rs->next()) {
      for (unsigned i = 1; i <= columns; ++i) {
        if (rs->isNull(i)) {
          row[i - 1].reset();
        } else {
          row[i - 1] = std::string(rs->getString(i));
        }
      }
      each(row);
    }
  } catch (const sql::SQLException& e) {
    warnings_listed_ = true;
    Rethrow(e, ErrorKind::kSql);
  }
}

void MySqlConnection::Begin() {
  Execute("START TRANSACTION");
  in_transaction_ = true;
}

void MySqlConnection::Commit() {
  in_transaction_ = false;
  Execute("COMMIT");
}

void MySqlConnection::Rollback() {
  in_transaction_ = false;
  try {
    Execute("ROLLBACK");
  } catch (const std::exception&) {
    // A broken connection rolls back on the server anyway.
  }
}

std::string MySqlConnection::LockName(const std::string& name) const {
  // GET_LOCK names are server-wide and at most 64 characters: database and history table,
  // hashed when too long.
  std::string lock = "strata:" + database_ + "." + name;
  if (lock.size() > 64) {
    char hash[24];
    std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(lock));
    lock = lock.substr(0, 40) + "#" + hash;
  }
  return lock;
}

bool MySqlConnection::Lock(const std::string& name, std::chrono::milliseconds timeout) {
  lock_name_ = LockName(name);
  // GET_LOCK waits on the server (fractional seconds are allowed) and returns 1 when
  // obtained, 0 on timeout; a single round trip.
  const auto rows = Query("SELECT GET_LOCK(" + Literal(lock_name_) + ", " +
                          std::to_string(timeout.count() / 1000.0) + ")");
  locked_ = !rows.empty() && rows[0][0] == std::string("1");
  return locked_;
}

void MySqlConnection::Unlock() {
  if (!locked_) return;
  locked_ = false;
  Query("SELECT RELEASE_LOCK(" + Literal(lock_name_) + ")");
}

bool MySqlConnection::TableExists(const std::string& table) {
  const size_t dot = table.find('.');
  const std::string schema = dot == std::string::npos ? "DATABASE()" : Literal(table.substr(0, dot));
  const std::string name = dot == std::string::npos ? table : table.substr(dot + 1);
  return !Query("SELECT 1 FROM information_schema.tables WHERE table_schema = " + schema +
                " AND table_name = " + Literal(name))
              .empty();
}

void MySqlConnection::CancelCurrent() noexcept {
  if (driver_->connection_id.empty()) return;
  try {
    // The running statement blocks this connection: KILL QUERY comes from a second one.
    std::unique_ptr<sql::Connection> killer(get_driver_instance()->connect(driver_->options));
    std::unique_ptr<sql::Statement> st(killer->createStatement());
    st->execute("KILL QUERY " + driver_->connection_id);
  } catch (const std::exception&) {
    // The server is gone or the statement already ended: nothing left to cancel.
  }
}

std::vector<std::string> MySqlConnection::Tables() {
  return QueryColumn("SELECT table_name FROM information_schema.tables WHERE "
                     "table_schema = DATABASE() ORDER BY table_name");
}

std::unique_ptr<Connection> MySqlDialect::Connect(const ConnectOptions& options) const {
  return std::make_unique<MySqlConnection>(options);
}

std::vector<Connection::ColumnInfo> MySqlConnection::Columns(const std::string& table) {
  std::string name;
  for (char c : table) {
    if (c == '\'' || c == '\\') name += '\\';
    name += c;
  }
  std::vector<ColumnInfo> out;
  for (const Row& r : Query("SELECT column_name, column_type, is_nullable FROM information_schema.columns "
                            "WHERE table_schema = DATABASE() AND table_name = '" + name +
                            "' ORDER BY ordinal_position")) {
    out.push_back({r[0].value_or(""), r[1].value_or(""), r[2].value_or("") == "YES"});
  }
  return out;
}

}  // namespace strata
