// tests/package: a C++ transform, applied in the clean root from its plugin built ahead.
#include <strata/transform.hpp>

#include <cctype>

using namespace strata::transform;

class LowerEmail : public Transform {
 public:
  Spec Describe(const std::string&) const override {
    Spec s;
    s.table = "users";
    s.key = {"id"};
    s.reads = {"email"};
    s.writes = {"email"};
    return s;
  }
  Action Apply(const Row& row) const override {
    if (row.IsNull("email")) return Action::Skip();
    std::string email(row.Text("email"));
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return Action::Update({email});
  }
};

STRATA_TRANSFORM(LowerEmail)
