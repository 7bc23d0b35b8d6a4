// A transform for tests/engine/transform_loader_test.cpp: lower-cases users.email. Built
// ahead by strata_add_transforms (tests/CMakeLists.txt) and at run time by the tests.
#include <strata/transform.hpp>

#include <cctype>

using namespace strata::transform;

class LowerEmail : public Transform {
 public:
  Spec Describe(const std::string& dialect) const override {
    Spec s;
    s.table = "users";
    s.key = {"id"};
    s.reads = {"email"};
    s.writes = {"email"};
    if (dialect == "postgres") s.where = "email <> lower(email)";
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
