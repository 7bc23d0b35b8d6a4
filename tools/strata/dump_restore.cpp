// RestoreDump: reads a dump line by line through zlib (plain files pass through as they
// are), splits it with the target dialect's splitter and runs each statement; pg_dump's
// COPY ... FROM stdin blocks go through Connection::CopyFrom; custom format through pg_restore.
#include "dump_restore.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <iostream>
#include <streambuf>

namespace strata::cli {
namespace {

const char* const kPartial =
    ": the target holds a partial restore; drop and recreate it before the next pilot";

// The dump's lines, decompressed when it is gzip (zlib reads a plain file as it is).
class DumpReader {
 public:
  explicit DumpReader(const std::string& path) : path_(path), buffer_(1 << 18) {
    file_ = gzopen(path.c_str(), "rb");
    if (!file_) throw Error(ErrorKind::kUsage, "cannot open the dump").At(path, 0);
    gzbuffer(file_, 1 << 18);
  }
  ~DumpReader() { gzclose(file_); }
  DumpReader(const DumpReader&) = delete;
  DumpReader& operator=(const DumpReader&) = delete;

  // The next line without its '\n'; false at the end. Throws Error(kUsage) for corrupt or
  // truncated compressed data, naming the compressed byte offset.
  bool ReadLine(std::string& line) {
    line.clear();
    for (;;) {
      const char* start = buffer_.data() + pos_;
      const void* nl = std::memchr(start, '\n', end_ - pos_);
      if (nl) {
        const size_t n = static_cast<const char*>(nl) - start;
        line.append(start, n);
        pos_ += n + 1;
        ++line_;
        return true;
      }
      line.append(start, end_ - pos_);
      pos_ = end_ = 0;
      const int got = gzread(file_, buffer_.data(), static_cast<unsigned>(buffer_.size()));
      if (got < 0) {
        int code = 0;
        const char* why = gzerror(file_, &code);
        throw Error(ErrorKind::kUsage, "the compressed dump is corrupt or truncated at byte " +
                                           std::to_string(gzoffset(file_)) + " (zlib: " + why +
                                           "), after line " + std::to_string(line_) + kPartial)
            .At(path_, 0);
      }
      if (got == 0) {
        if (line.empty()) return false;
        ++line_;
        return true;
      }
      bytes_ += got;
      end_ = static_cast<size_t>(got);
    }
  }
  int line() const { return line_; }
  long long bytes() const { return bytes_; }
  bool compressed() const { return gzdirect(file_) == 0; }

 private:
  std::string path_;
  gzFile file_ = nullptr;
  std::vector<char> buffer_;
  size_t pos_ = 0, end_ = 0;
  int line_ = 0;
  long long bytes_ = 0;
};

bool IsCopyStart(const std::string& line) {
  return line.compare(0, 5, "COPY ") == 0 && line.size() > 12 &&
         line.compare(line.size() - 12, 12, " FROM stdin;") == 0;
}

// The dump's text up to the next COPY ... FROM stdin line (pg_dump writes them at statement
// boundaries), as a stream for the splitter. psql meta-commands (\restrict) become blank lines.
class SegmentBuf : public std::streambuf {
 public:
  SegmentBuf(DumpReader& reader, bool pg) : reader_(reader), pg_(pg) {}
  std::string copy;       // the COPY line that ended the segment, or empty at the dump's end
  std::string last_text;  // the last line that is neither blank nor a comment
  std::string all_text;   // every comment line that closes a dump, when seen

 protected:
  int_type underflow() override {
    if (ended_) return traits_type::eof();
    if (!reader_.ReadLine(line_)) {
      ended_ = true;
      return traits_type::eof();
    }
    if (pg_ && IsCopyStart(line_)) {
      copy = line_;
      ended_ = true;
      return traits_type::eof();
    }
    if (pg_ && !line_.empty() && line_[0] == '\\') {
      if (line_.compare(0, 9, "\\restrict") != 0 && line_.compare(0, 11, "\\unrestrict") != 0) {
        throw Error(ErrorKind::kUsage, "line " + std::to_string(reader_.line()) +
                                           ": psql meta-command " + line_.substr(0, 12) +
                                           " is not supported in a pilot dump" + kPartial);
      }
      line_.clear();
    }
    const size_t text = line_.find_first_not_of(" \t\r");
    if (text != std::string::npos) {
      if (line_.compare(text, 2, "--") != 0) {
        last_text = line_;
      } else if (line_.find("dump complete") != std::string::npos ||
                 line_.find("Dump completed") != std::string::npos) {
        all_text = line_;
      }
    }
    line_ += '\n';
    setg(&line_[0], &line_[0], &line_[0] + line_.size());
    return traits_type::to_int_type(line_[0]);
  }

 private:
  DumpReader& reader_;
  bool pg_;
  bool ended_ = false;
  std::string line_;
};

// Prints "restore: 12.3 MB, 456 statements, 7.8 MB/s" on a terminal, once a second.
class RestoreProgress {
 public:
  RestoreProgress() : tty_(::isatty(2) == 1), start_(Env::Default().Now()), last_(start_) {}
  void Tick(long long bytes, long long statements, bool final = false) {
    const auto now = Env::Default().Now();
    if (!tty_ || (!final && now - last_ < std::chrono::seconds(1))) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    char line[160];
    std::snprintf(line, sizeof line, "\rrestore: %.1f MB, %lld statements, %.1f MB/s%s",
                  bytes / 1e6, statements, s > 0 ? bytes / 1e6 / s : 0.0, final ? "\n" : "");
    std::cerr << line << std::flush;
  }

 private:
  bool tty_;
  Env::Clock::time_point start_, last_;
};

// The line `at` of the dump, as the start of every restore error.
std::string StoppedAt(int at) { return "the restore stopped at line " + std::to_string(at); }

// Runs the statements of a plain dump (and its COPY blocks).
void RestorePlain(const Dialect& dialect, Connection& conn, const std::string& dump,
                  const std::string& format, RestoreRecord& record) {
  DumpReader reader(dump);
  const bool pg = format == "pg-plain";
  RestoreProgress progress;
  std::string closing, last_text;
  for (;;) {
    SegmentBuf buf(reader, pg);
    std::istream in(&buf);
    in.exceptions(std::ios::badbit);  // a corrupt dump's error leaves underflow() as it is
    const int offset = reader.line();
    auto splitter = dialect.NewSplitter();
    int at = offset;
    try {
      splitter->Split(in, dump, [&](Statement&& s) {
        at = offset + s.line;
        conn.Execute(s.sql);
        ++record.statements;
        progress.Tick(reader.bytes(), record.statements);
      });
    } catch (const Error& e) {
      const bool split = e.kind() == ErrorKind::kUsage && e.line() > 0;
      if (split) at = offset + e.line();
      Error out(e.kind(), StoppedAt(at) + ": " + e.what() + kPartial);
      out.At(dump, at);
      throw out;
    }
    if (!buf.last_text.empty()) last_text = buf.last_text;
    if (!buf.all_text.empty()) closing = buf.all_text;
    if (buf.copy.empty()) break;
    if (!last_text.empty() && last_text.back() != ';') {
      throw Error(ErrorKind::kUsage, StoppedAt(reader.line()) +
                                         ": a statement before this COPY has no ';'" + kPartial)
          .At(dump, reader.line());
    }
    const int copy_line = reader.line();
    bool ended = false;
    try {
      conn.CopyFrom(buf.copy.substr(0, buf.copy.size() - 1), [&](std::string& line) {
        if (!reader.ReadLine(line)) return false;
        if (line == "\\.") ended = true;
        return !ended;
      });
    } catch (const Error& e) {
      throw Error(e.kind(), StoppedAt(reader.line()) + " (the COPY of line " +
                                std::to_string(copy_line) + "): " + e.what() + kPartial)
          .At(dump, reader.line());
    }
    if (!ended) {
      throw Error(ErrorKind::kUsage, StoppedAt(reader.line()) + ": the dump ends inside the COPY "
                                         "of line " + std::to_string(copy_line) +
                                         " (truncated)" + kPartial)
          .At(dump, reader.line());
    }
    ++record.statements;
    last_text = "\\.;";
    progress.Tick(reader.bytes(), record.statements);
  }
  progress.Tick(reader.bytes(), record.statements, true);
  record.bytes = reader.bytes();
  const bool sqlite = format == "sqlite-dump";
  const bool closed = sqlite ? last_text.rfind("COMMIT", 0) == 0 : !closing.empty();
  if (!closed || (!last_text.empty() && last_text.back() != ';')) {
    throw Error(ErrorKind::kUsage,
                StoppedAt(reader.line()) + ": the dump ends without " +
                    (sqlite ? "its COMMIT" : "the dump tool's closing line") +
                    " (truncated)" + kPartial)
        .At(dump, reader.line());
  }
}

// postgresql://user[:password]@host:port/db -> the same without the password.
std::string WithoutPassword(const std::string& url, std::string& password) {
  const size_t scheme = url.find("://");
  const size_t at = url.rfind('@', url.find('/', scheme == std::string::npos ? 0 : scheme + 3));
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  if (password.empty()) password = url.substr(colon + 1, at - colon - 1);
  return url.substr(0, colon) + url.substr(at);
}

// pg_dump's custom format through pg_restore (a gzip-wrapped one is unpacked to a temporary
// file first); the password reaches it through PGPASSWORD, never its command line.
void RestoreCustom(const ConnectOptions& connect, const std::string& dump, bool gzip,
                   RestoreRecord& record) {
  std::string file = dump;
  std::string temp;
  if (gzip) {
    temp = "/tmp/strata-restore-XXXXXX";
    const int fd = ::mkstemp(&temp[0]);
    if (fd < 0) throw Error(ErrorKind::kUsage, "cannot create a temporary file").At(temp, 0);
    gzFile in = gzopen(dump.c_str(), "rb");
    std::vector<char> buffer(1 << 18);
    int got = 0;
    while (in && (got = gzread(in, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0) {
      if (::write(fd, buffer.data(), got) != got) got = -1;
      if (got < 0) break;
    }
    if (in) gzclose(in);
    ::close(fd);
    if (got < 0) {
      ::unlink(temp.c_str());
      throw Error(ErrorKind::kUsage, "the compressed dump is corrupt or truncated; nothing was "
                                     "restored").At(dump, 0);
    }
    file = temp;
  }
  std::string password = connect.password;
  const std::string url = WithoutPassword(connect.url, password);
  if (!password.empty()) ::setenv("PGPASSWORD", password.c_str(), 1);
  const auto result = Env::Default().RunProcess(
      {"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", url, file});
  if (!temp.empty()) ::unlink(temp.c_str());
  struct stat st {};
  if (::stat(dump.c_str(), &st) == 0) record.bytes = static_cast<long long>(st.st_size);
  if (result.exit_code != 0) {
    std::string why = result.err.substr(0, result.err.find('\n'));
    throw Error(ErrorKind::kUsage, "pg_restore failed (exit " +
                                       std::to_string(result.exit_code) + "): " + why + kPartial)
        .At(dump, 0);
  }
}

// The dump's format from its first bytes, checked against the target's dialect.
std::string FormatOf(const std::string& dump, const std::string& dialect) {
  gzFile f = gzopen(dump.c_str(), "rb");
  if (!f) throw Error(ErrorKind::kUsage, "cannot open the dump").At(dump, 0);
  char head[5] = {};
  const int got = gzread(f, head, sizeof head);
  gzclose(f);
  if (got == 5 && std::string(head, 5) == "PGDMP") {
    if (dialect != "postgres") {
      throw Error(ErrorKind::kUsage, "a pg_dump custom-format dump restores into PostgreSQL "
                                     "only; nothing was restored").At(dump, 0);
    }
    return "pg-custom";
  }
  if (dialect == "postgres") return "pg-plain";
  if (dialect == "mysql") return "mysqldump";
  if (dialect == "sqlite") return "sqlite-dump";
  throw Error(ErrorKind::kUsage, "pilot cannot restore into " + dialect);
}

}  // namespace

RestoreRecord RestoreDump(const Dialect& dialect, Connection& conn, const ConnectOptions& connect,
                          const std::string& dump) {
  RestoreRecord record;
  record.dump = dump;
  record.format = FormatOf(dump, dialect.Name());
  const auto start = Env::Default().Now();
  if (record.format == "pg-custom") {
    bool gzip = false;
    {
      DumpReader probe(dump);
      gzip = probe.compressed();
    }
    RestoreCustom(connect, dump, gzip, record);
  } else {
    RestorePlain(dialect, conn, dump, record.format, record);
  }
  record.ms = std::chrono::duration_cast<std::chrono::milliseconds>(Env::Default().Now() - start)
                  .count();
  return record;
}

}  // namespace strata::cli
