// The tables of the generated API-manager dataset and the rules that make their rows: names
// and mixed-case e-mails, users and APIs referenced with a skew (a few very busy ones), OAuth
// tokens mostly EXPIRED or REVOKED with a long tail of lengths (hex, base64url, JWT-like).
#include "dataset.hpp"

#include <algorithm>
#include <cctype>

#include "strata/error.hpp"

namespace strata::gendump {
namespace {

constexpr long long kEpochStart = 1514764800;  // 2018-01-01 00:00:00 UTC
constexpr long long kSpan = 252460800;         // to 2026-01-01
const char* const kFirst[] = {"James",   "Mary",  "John",   "Patricia",  "Robert",  "Jennifer",
                              "Michael", "Linda", "David",  "Elizabeth", "William", "Barbara",
                              "Richard", "Susan", "Joseph", "Jessica",   "Thomas",  "Sarah",
                              "Chen",    "Aisha", "Ravi",   "Yuki",      "Olga",    "Mateo"};
const char* const kLast[] = {"Smith",    "Johnson", "Williams", "Brown",    "Jones",   "Garcia",
                             "Miller",   "Davis",   "O'Brien",  "Martinez", "Lopez",   "Wilson",
                             "Anderson", "Taylor",  "D'Angelo", "Moore",    "Jackson", "Martin",
                             "Lee",      "Nguyen",  "Okafor",   "Kowalski", "Tanaka",  "Schmidt"};
const char* const kDomains[] = {"example.com", "Example.org", "MAIL.example.net",
                                "acme.io",     "Globex.COM",  "initech.example"};
const char* const kWords[] = {"Pizza",    "Weather", "Payments", "Orders", "Shipping",  "Catalog",
                              "Identity", "Billing", "Maps",     "Search", "Inventory", "Loyalty",
                              "Notify",   "Reports", "Fleet",    "Claims"};
const char* const kTiers[] = {"Unlimited", "Gold", "Silver", "Bronze"};
const char kHex[] = "0123456789abcdef";
const char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

template <typename T, size_t N>
const T& Pick(Random& r, const T (&items)[N]) {
  return items[r.Below(N)];
}

// An index in [0, n) with density falling as 1/x^(2/3): the first 1% get ~21% of the picks.
long long Skewed(Random& r, long long n) {
  const double u = static_cast<double>(r.Next() >> 11) / 9007199254740992.0;  // [0, 1)
  return std::min(n - 1, static_cast<long long>(u * u * u * static_cast<double>(n)));
}

void AppendChars(Random& r, const char* alphabet, unsigned bits, size_t n, std::string& out) {
  while (n > 0) {
    uint64_t word = r.Next();
    for (unsigned left = 64; left >= bits && n > 0; left -= bits, --n) {
      out += alphabet[word & ((1u << bits) - 1)];
      word >>= bits;
    }
  }
}

// 60% 40 hex digits, 30% 64 base64url characters, 9% a JWT-like 200-500, 1% 800-2000.
std::string Token(Random& r) {
  std::string t;
  const unsigned kind = static_cast<unsigned>(r.Below(100));
  if (kind < 60) {
    AppendChars(r, kHex, 4, 40, t);
  } else if (kind < 90) {
    AppendChars(r, kBase64Url, 6, 64, t);
  } else {
    const size_t n = kind < 99 ? 200 + r.Below(301) : 800 + r.Below(1201);
    t = "eyJhbGciOiJSUzI1NiJ9.";
    AppendChars(r, kBase64Url, 6, n - t.size() - 44, t);
    t += '.';
    AppendChars(r, kBase64Url, 6, 43, t);
  }
  return t;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A mixed-case e-mail, unique by `id`: "John.Smith17@Example.org", "JSMITH17@ACME.IO", ...
std::string Email(Random& r, const std::string& first, const std::string& last, long long id) {
  std::string local;
  for (char c : last) {
    if (c != '\'') local += c;
  }
  switch (r.Below(3)) {
    case 0:
      local = first + "." + local;
      break;
    case 1:
      local = first.substr(0, 1) + local;
      break;
    default:
      local = first + "_" + local;
      break;
  }
  std::string email = local + std::to_string(id) + "@" + Pick(r, kDomains);
  const unsigned style = static_cast<unsigned>(r.Below(100));
  if (style < 30) return Lower(email);
  if (style < 45) {
    for (char& c : email) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (style < 60) {
    for (char& c : email) {
      if (r.Percent(50)) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return email;
}

// The time of row `index` of `rows`: rising through 2018-2025, with up to `jitter` seconds.
long long TimeOf(Random& r, long long index, long long rows, long long jitter) {
  return kEpochStart + kSpan * index / std::max(1LL, rows) +
         static_cast<long long>(r.Below(jitter));
}

ColumnSpec Col(const char* name, ColumnType type, int length = 0, bool nullable = true) {
  return {name, type, length, nullable, ""};
}

}  // namespace

IdSpace::IdSpace(long long rows, uint64_t seed) {
  Random r(seed);
  long long start = 1;
  for (long long run = 0; run * kRun < rows; ++run) {
    starts_.push_back(start);
    const unsigned roll = static_cast<unsigned>(r.Below(32));
    long long gap = 0;
    if (run == 0 || roll == 0) {
      gap = 1000000 + static_cast<long long>(r.Below(9000000));  // a gap of millions
    } else if (roll < 5) {
      gap = 1 + static_cast<long long>(r.Below(1000));
    }
    start += kRun + gap;
  }
}

Dataset::Dataset(long long scale, uint64_t seed)
    : scale_(scale),
      seed_(seed),
      ids_{IdSpace(scale, seed ^ 1), IdSpace(std::max(1LL, scale / 100), seed ^ 2),
           IdSpace(std::max(1LL, scale / 2), seed ^ 3),
           IdSpace(2 * std::max(1LL, scale / 2), seed ^ 4), IdSpace(20 * scale, seed ^ 5)} {
  using T = ColumnType;
  ColumnSpec counter = Col("counter", T::kInteger, 0, false);
  counter.default_sql = "0";
  tables_ = {
      {"users",
       {Col("id", T::kBigInt, 0, false), Col("email", T::kText, 255),
        Col("full_name", T::kText, 200), counter, Col("created_at", T::kTimestamp)},
       {"id"}},
      {"apis",
       {Col("id", T::kBigInt, 0, false), Col("provider", T::kText, 200), Col("name", T::kText, 200),
        Col("version", T::kText, 30), Col("context", T::kText, 256), Col("status", T::kText, 20),
        Col("created_at", T::kTimestamp)},
       {"id"}},
      {"applications",
       {Col("id", T::kBigInt, 0, false), Col("user_id", T::kBigInt), Col("name", T::kText, 100),
        Col("tier", T::kText, 50), Col("description", T::kText, 512),
        Col("created_at", T::kTimestamp)},
       {"id"}},
      {"subscriptions",
       {Col("id", T::kBigInt, 0, false), Col("api_id", T::kBigInt),
        Col("application_id", T::kBigInt), Col("tier", T::kText, 50), Col("status", T::kText, 20),
        Col("created_at", T::kTimestamp)},
       {"id"}},
      {"oauth_tokens",
       {Col("id", T::kBigInt, 0, false), Col("user_id", T::kBigInt),
        Col("application_id", T::kBigInt), Col("token", T::kText, 2048), Col("state", T::kText, 20),
        Col("issued_at", T::kTimestamp), Col("expires_at", T::kTimestamp)},
       {"id"}},
  };
  indexes_ = {{"applications_user_id_idx", "applications", {"user_id"}},
              {"subscriptions_application_id_idx", "subscriptions", {"application_id"}},
              {"oauth_tokens_user_id_idx", "oauth_tokens", {"user_id"}}};
}

long long Dataset::Rows(const std::string& table) const {
  const long long apps = std::max(1LL, scale_ / 2);
  if (table == "users") return scale_;
  if (table == "apis") return std::max(1LL, scale_ / 100);
  if (table == "applications") return apps;
  if (table == "subscriptions") return 2 * apps;
  if (table == "oauth_tokens") return 20 * scale_;
  throw Error(ErrorKind::kUsage, "unknown table '" + table +
                                     "' (tables: users, apis, applications, subscriptions, "
                                     "oauth_tokens)");
}

void Dataset::Generate(const std::string& table,
                       const std::function<void(const Row&)>& each) const {
  Rows(table);  // throws for an unknown table
  for (size_t t = 0; t < tables_.size(); ++t) {
    if (tables_[t].name != table) continue;
    Random r(seed_ * 0x9e3779b97f4a7c15ULL + 0x1000 + t);
    switch (t) {
      case 0:
        Users(r, each);
        break;
      case 1:
        Apis(r, each);
        break;
      case 2:
        Applications(r, each);
        break;
      case 3:
        Subscriptions(r, each);
        break;
      default:
        Tokens(r, each);
        break;
    }
  }
}

void Dataset::Users(Random& r, const std::function<void(const Row&)>& each) const {
  Row row(5);
  const long long rows = Rows("users");
  for (long long i = 0; i < rows; ++i) {
    const long long id = ids_.users.Id(i);
    const std::string first = Pick(r, kFirst), last = Pick(r, kLast);
    row[0] = std::to_string(id);
    row[1] = Email(r, first, last, id);
    row[2] = first + " " + last;
    row[3] = "0";
    row[4] = FormatTimestamp(TimeOf(r, i, rows, 86400));
    each(row);
  }
}

void Dataset::Apis(Random& r, const std::function<void(const Row&)>& each) const {
  static const char* const kStatus[] = {"PUBLISHED", "PUBLISHED",  "PUBLISHED", "PUBLISHED",
                                        "CREATED",   "DEPRECATED", "RETIRED"};
  Row row(7);
  const long long rows = Rows("apis");
  for (long long i = 0; i < rows; ++i) {
    const std::string name = std::string(Pick(r, kWords)) + Pick(r, kWords);
    const std::string version = std::to_string(1 + r.Below(4)) + "." + std::to_string(r.Below(10));
    row[0] = std::to_string(ids_.apis.Id(i));
    row[1] = r.Percent(30) ? std::string("admin") : Lower(Pick(r, kWords)) + "-team";
    row[2] = name;
    row[3] = version;
    row[4] = "/" + Lower(name) + "/" + version;
    row[5] = Pick(r, kStatus);
    row[6] = FormatTimestamp(TimeOf(r, i, rows, 86400 * 30));
    each(row);
  }
}

void Dataset::Applications(Random& r, const std::function<void(const Row&)>& each) const {
  Row row(6);
  const long long rows = Rows("applications");
  for (long long i = 0; i < rows; ++i) {
    const std::string word = Pick(r, kWords);
    row[0] = std::to_string(ids_.applications.Id(i));
    row[1] = std::to_string(ids_.users.Id(Skewed(r, scale_)));
    row[2] = i == 0 ? std::string("DefaultApplication") : word + "App" + std::to_string(i);
    row[3] = Pick(r, kTiers);
    if (r.Percent(50)) {
      row[4] = std::nullopt;
    } else {
      row[4] = "The " + word + " team's client; don't share its keys";
    }
    row[5] = FormatTimestamp(TimeOf(r, i, rows, 86400));
    each(row);
  }
}

void Dataset::Subscriptions(Random& r, const std::function<void(const Row&)>& each) const {
  static const char* const kStatus[] = {"UNBLOCKED", "BLOCKED", "PROD_ONLY_BLOCKED", "ON_HOLD",
                                        "REJECTED"};
  static const unsigned kStatusPercent[] = {85, 5, 3, 5, 2};
  Row row(6);
  const long long rows = Rows("subscriptions"), apis = Rows("apis");
  for (long long i = 0; i < rows; ++i) {
    unsigned roll = static_cast<unsigned>(r.Below(100)), s = 0;
    while (roll >= kStatusPercent[s]) roll -= kStatusPercent[s++];
    row[0] = std::to_string(ids_.subscriptions.Id(i));
    row[1] = std::to_string(ids_.apis.Id(Skewed(r, apis)));
    row[2] = std::to_string(ids_.applications.Id(i / 2));
    row[3] = Pick(r, kTiers);
    row[4] = kStatus[s];
    row[5] = FormatTimestamp(TimeOf(r, i, rows, 86400));
    each(row);
  }
}

void Dataset::Tokens(Random& r, const std::function<void(const Row&)>& each) const {
  Row row(7);
  const long long rows = Rows("oauth_tokens"), apps = Rows("applications");
  for (long long i = 0; i < rows; ++i) {
    const unsigned state = static_cast<unsigned>(r.Below(100));
    const long long issued = TimeOf(r, i, rows, 86400);
    const unsigned life = static_cast<unsigned>(r.Below(100));
    row[0] = std::to_string(ids_.tokens.Id(i));
    row[1] = std::to_string(ids_.users.Id(Skewed(r, scale_)));
    row[2] = std::to_string(ids_.applications.Id(static_cast<long long>(r.Below(apps))));
    row[3] = Token(r);
    row[4] = state < 62 ? "EXPIRED" : state < 87 ? "REVOKED" : state < 99 ? "ACTIVE" : "INACTIVE";
    row[5] = FormatTimestamp(issued);
    if (life < 3) {
      row[6] = std::nullopt;  // never expires
    } else {
      row[6] = FormatTimestamp(issued + (life < 73 ? 3600 : 86400 * 30));
    }
    each(row);
  }
}

std::string FormatTimestamp(long long seconds) {
  // Howard Hinnant's civil_from_days.
  long long days = seconds / 86400, rest = seconds % 86400;
  days += 719468;
  const long long era = days / 146097, doe = days - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = yoe + era * 400 + (m <= 2);
  // Digits written by hand: snprintf was a tenth of the time of a token row.
  std::string out = "0000-00-00 00:00:00";
  const long long parts[] = {y, m, d, rest / 3600, rest / 60 % 60, rest % 60};
  const size_t ends[] = {4, 7, 10, 13, 16, 19};
  for (size_t p = 0; p < 6; ++p) {
    long long v = parts[p];
    for (size_t i = ends[p]; v > 0 && i-- > (p == 0 ? 0 : ends[p] - 2);) {
      out[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  }
  return out;
}

}  // namespace strata::gendump
