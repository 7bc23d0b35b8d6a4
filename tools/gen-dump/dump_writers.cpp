// The three dump formats, each as its database's own dump tool writes it, so that the
// database's own client loads it: pg_dump's plain SQL (SET lines, CREATE TABLE, COPY ... FROM
// stdin blocks, then primary keys and indexes), mysqldump's (LOCK TABLES, extended INSERTs of
// up to ~1 MB) and sqlite3's .dump (one INSERT per row in one transaction). Streamed: a row is
// written as soon as it is made.
#include <algorithm>

#include "output.hpp"
#include "strata/error.hpp"
#include "writer.hpp"

namespace strata::gendump {
namespace {

bool IsNumber(const ColumnSpec& c) {
  return c.type == ColumnType::kInteger || c.type == ColumnType::kBigInt;
}

std::string Join(const std::vector<std::string>& items, const std::string& quote = "") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote + items[i] + quote;
  return out;
}

class DumpWriter : public Writer {
 public:
  explicit DumpWriter(const std::string& path) : out_(path) {}

  void Begin(const std::vector<TableSpec>& tables, const std::vector<IndexSpec>& indexes) override {
    tables_ = tables;
    indexes_ = indexes;
  }
  void BeginTable(const TableSpec& table) override { table_ = &table; }

 protected:
  Output out_;
  std::vector<TableSpec> tables_;
  std::vector<IndexSpec> indexes_;
  const TableSpec* table_ = nullptr;
  std::string line_;  // reused for each row
};

class PgDumpWriter : public DumpWriter {
 public:
  PgDumpWriter(const std::string& path, const std::string& title) : DumpWriter(path) {
    out_.Write("--\n-- PostgreSQL database dump\n--\n\n-- Dumped by " + title + "\n\n");
    out_.Write(
        "SET statement_timeout = 0;\nSET lock_timeout = 0;\n"
        "SET idle_in_transaction_session_timeout = 0;\nSET client_encoding = 'UTF8';\n"
        "SET standard_conforming_strings = on;\n"
        "SELECT pg_catalog.set_config('search_path', '', false);\n"
        "SET check_function_bodies = false;\nSET xmloption = content;\n"
        "SET client_min_messages = warning;\nSET row_security = off;\n\n"
        "SET default_tablespace = '';\n\nSET default_table_access_method = heap;\n\n");
  }

  void Begin(const std::vector<TableSpec>& tables, const std::vector<IndexSpec>& indexes) override {
    DumpWriter::Begin(tables, indexes);
    for (const TableSpec& t : tables) {
      out_.Write(Header(t.name, "TABLE") + "CREATE TABLE public." + t.name + " (\n");
      for (size_t i = 0; i < t.columns.size(); ++i) {
        const ColumnSpec& c = t.columns[i];
        out_.Write("    " + c.name + " " + Type(c) +
                   (c.default_sql.empty() ? "" : " DEFAULT " + c.default_sql) +
                   (c.nullable ? "" : " NOT NULL") + (i + 1 < t.columns.size() ? ",\n" : "\n"));
      }
      out_.Write(");\n\n\n");
    }
  }

  void BeginTable(const TableSpec& table) override {
    DumpWriter::BeginTable(table);
    std::vector<std::string> names;
    for (const ColumnSpec& c : table.columns) names.push_back(c.name);
    out_.Write("--\n-- Data for Name: " + table.name +
               "; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nCOPY public." + table.name +
               " (" + Join(names) + ") FROM stdin;\n");
  }

  void WriteRow(const Row& row) override {
    line_.clear();
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line_ += '\t';
      if (!row[i]) {
        line_ += "\\N";
        continue;
      }
      for (char c : *row[i]) {
        switch (c) {
          case '\\':
            line_ += "\\\\";
            break;
          case '\t':
            line_ += "\\t";
            break;
          case '\n':
            line_ += "\\n";
            break;
          case '\r':
            line_ += "\\r";
            break;
          default:
            line_ += c;
        }
      }
    }
    line_ += '\n';
    out_.Write(line_);
  }

  void EndTable(const TableSpec& /*table*/) override { out_.Write("\\.\n\n\n"); }

  void Finish() override {
    for (const TableSpec& t : tables_) {
      const std::string key = t.name + "_pkey";
      out_.Write(Header(t.name + " " + key, "CONSTRAINT") + "ALTER TABLE ONLY public." + t.name +
                 "\n    ADD CONSTRAINT " + key + " PRIMARY KEY (" + Join(t.primary_key) +
                 ");\n\n\n");
    }
    for (const IndexSpec& i : indexes_) {
      out_.Write(Header(i.name, "INDEX") + "CREATE INDEX " + i.name + " ON public." + i.table +
                 " USING btree (" + Join(i.columns) + ");\n\n\n");
    }
    out_.Write("--\n-- PostgreSQL database dump complete\n--\n\n");
    out_.Close();
  }

 private:
  static std::string Header(const std::string& name, const std::string& type) {
    return "--\n-- Name: " + name + "; Type: " + type + "; Schema: public; Owner: -\n--\n\n";
  }
  static std::string Type(const ColumnSpec& c) {
    switch (c.type) {
      case ColumnType::kInteger:
        return "integer";
      case ColumnType::kBigInt:
        return "bigint";
      case ColumnType::kBoolean:
        return "boolean";
      case ColumnType::kTimestamp:
        return "timestamp without time zone";
      case ColumnType::kLongText:
        return "text";
      case ColumnType::kText:
        break;
    }
    return "character varying(" + std::to_string(c.length) + ")";
  }
};

class MySqlDumpWriter : public DumpWriter {
 public:
  MySqlDumpWriter(const std::string& path, const std::string& title) : DumpWriter(path) {
    out_.Write("-- " + title + "\n-- ------------------------------------------------------\n\n" +
               kOpening);
  }

  void BeginTable(const TableSpec& t) override {
    DumpWriter::BeginTable(t);
    std::string sql = "\n--\n-- Table structure for table `" + t.name + "`\n--\n\n" +
                      "DROP TABLE IF EXISTS `" + t.name + "`;\n" +
                      "/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
                      "/*!40101 SET character_set_client = utf8 */;\n"
                      "CREATE TABLE `" +
                      t.name + "` (\n";
    for (const ColumnSpec& c : t.columns) {
      sql += "  `" + c.name + "` " + Type(c) + (c.nullable ? "" : " NOT NULL") +
             (!c.default_sql.empty() ? " DEFAULT " + c.default_sql
              : c.nullable           ? " DEFAULT NULL"
                                     : "") +
             ",\n";
    }
    sql += "  PRIMARY KEY (" + Join(t.primary_key, "`") + ")";
    for (const IndexSpec& i : indexes_) {
      if (i.table == t.name) sql += ",\n  KEY `" + i.name + "` (" + Join(i.columns, "`") + ")";
    }
    sql +=
        "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n"
        "/*!40101 SET character_set_client = @saved_cs_client */;\n\n"
        "--\n-- Dumping data for table `" +
        t.name + "`\n--\n\n" + "LOCK TABLES `" + t.name + "` WRITE;\n/*!40000 ALTER TABLE `" +
        t.name + "` DISABLE KEYS */;\n";
    out_.Write(sql);
    line_.clear();
  }

  void WriteRow(const Row& row) override {
    line_ += line_.empty() ? "INSERT INTO `" + table_->name + "` VALUES (" : ",(";
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line_ += ',';
      if (!row[i]) {
        line_ += "NULL";
      } else if (IsNumber(table_->columns[i])) {
        line_ += *row[i];
      } else {
        AppendQuoted(*row[i]);
      }
    }
    line_ += ')';
    // mysqldump's net_buffer_length: statements of about 1 MB.
    if (line_.size() >= kStatementBytes) FlushStatement();
  }

  void EndTable(const TableSpec& t) override {
    FlushStatement();
    out_.Write("/*!40000 ALTER TABLE `" + t.name + "` ENABLE KEYS */;\nUNLOCK TABLES;\n");
  }

  void Finish() override {
    out_.Write(kClosing);
    out_.Close();
  }

 private:
  static constexpr size_t kStatementBytes = 1000000;
  static constexpr const char* kOpening =
      "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
      "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n"
      "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n"
      "/*!40101 SET NAMES utf8mb4 */;\n"
      "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n"
      "/*!40103 SET TIME_ZONE='+00:00' */;\n"
      "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n"
      "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n"
      "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n"
      "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n";
  static constexpr const char* kClosing =
      "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n\n"
      "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n"
      "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n"
      "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n"
      "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n"
      "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n"
      "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n"
      "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n\n-- Dump completed\n";

  static std::string Type(const ColumnSpec& c) {
    switch (c.type) {
      case ColumnType::kInteger:
        return "int(11)";
      case ColumnType::kBigInt:
        return "bigint(20)";
      case ColumnType::kBoolean:
        return "tinyint(1)";
      case ColumnType::kTimestamp:
        return "datetime";
      case ColumnType::kLongText:
        return "longtext";
      case ColumnType::kText:
        break;
    }
    return "varchar(" + std::to_string(c.length) + ")";
  }

  // MySQL's string literal with backslash escapes, as mysqldump writes it.
  void AppendQuoted(const std::string& value) {
    line_ += '\'';
    for (char c : value) {
      switch (c) {
        case '\\':
          line_ += "\\\\";
          break;
        case '\'':
          line_ += "\\'";
          break;
        case '\n':
          line_ += "\\n";
          break;
        case '\r':
          line_ += "\\r";
          break;
        case '\0':
          line_ += "\\0";
          break;
        case '\x1a':
          line_ += "\\Z";
          break;
        default:
          line_ += c;
      }
    }
    line_ += '\'';
  }

  void FlushStatement() {
    if (line_.empty()) return;
    line_ += ";\n";
    out_.Write(line_);
    line_.clear();
  }
};

class SqliteDumpWriter : public DumpWriter {
 public:
  SqliteDumpWriter(const std::string& path, const std::string& title) : DumpWriter(path) {
    out_.Write("-- " + title + "\nPRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
  }

  void BeginTable(const TableSpec& t) override {
    DumpWriter::BeginTable(t);
    std::string sql = "CREATE TABLE " + t.name + " (\n";
    for (const ColumnSpec& c : t.columns) {
      // The types strata's SQLite dialect gives these columns; an INTEGER key is the rowid.
      sql += "  " + c.name + (IsNumber(c) ? " INTEGER" : " TEXT") +
             (c.default_sql.empty() ? "" : " DEFAULT " + c.default_sql) +
             (c.nullable ? "" : " NOT NULL") + ",\n";
    }
    out_.Write(sql + "  PRIMARY KEY (" + Join(t.primary_key) + ")\n);\n");
    prefix_ = "INSERT INTO " + t.name + " VALUES(";
  }

  void WriteRow(const Row& row) override {
    line_ = prefix_;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line_ += ',';
      if (!row[i]) {
        line_ += "NULL";
      } else if (IsNumber(table_->columns[i])) {
        line_ += *row[i];
      } else {
        line_ += '\'';
        for (char c : *row[i]) line_ += c == '\'' ? std::string("''") : std::string(1, c);
        line_ += '\'';
      }
    }
    line_ += ");\n";
    out_.Write(line_);
  }

  void EndTable(const TableSpec& /*table*/) override {}

  void Finish() override {
    for (const IndexSpec& i : indexes_) {
      out_.Write("CREATE INDEX " + i.name + " ON " + i.table + " (" + Join(i.columns) + ");\n");
    }
    out_.Write("COMMIT;\n");
    out_.Close();
  }

 private:
  std::string prefix_;
};

}  // namespace

std::unique_ptr<Writer> NewDumpWriter(const std::string& format, const std::string& path,
                                      const std::string& title) {
  if (format == "postgres") return std::make_unique<PgDumpWriter>(path, title);
  if (format == "mysql") return std::make_unique<MySqlDumpWriter>(path, title);
  if (format == "sqlite") return std::make_unique<SqliteDumpWriter>(path, title);
  throw Error(ErrorKind::kUsage,
              "unknown --format '" + format + "' (formats: postgres, mysql, sqlite)");
}

}  // namespace strata::gendump
