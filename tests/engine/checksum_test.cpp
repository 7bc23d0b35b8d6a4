// Tests of engine/src/source/checksum.cpp: normalisation makes line endings and trailing blanks
// irrelevant, while any real change alters the checksum.
#include <catch2/catch.hpp>

#include "strata/checksum.hpp"

using strata::ScriptChecksum;

TEST_CASE("checksum ignores line endings, BOM, trailing blanks", "[unit]") {
  const std::string lf = "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n";
  const std::string base = ScriptChecksum(lf);
  CHECK(base.rfind("sha256:", 0) == 0);
  CHECK(base.size() == 7 + 64);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\r\nINSERT INTO t VALUES (1);\r\n") == base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\rINSERT INTO t VALUES (1);\r") == base);
  CHECK(ScriptChecksum("\xEF\xBB\xBF" + lf) == base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);   \nINSERT INTO t VALUES (1);\t\n\n\n  \n") == base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);") == base);
}

TEST_CASE("checksum changes with any real change", "[unit]") {
  const std::string base = ScriptChecksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n");
  CHECK(ScriptChecksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (2);\n") != base);
  CHECK(ScriptChecksum("CREATE TABLE t  (id int);\nINSERT INTO t VALUES (1);\n") != base);
  CHECK(ScriptChecksum(" CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n") != base);
  CHECK(ScriptChecksum("CREATE TABLE t (id int);INSERT INTO t VALUES (1);\n") != base);
  CHECK(ScriptChecksum("\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n") != base);
}

TEST_CASE("checksum of known input matches sha256sum", "[unit]") {
  // printf 'abc' | sha256sum
  CHECK(strata::Sha256Hex("abc") ==
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(strata::NormalizeScript("a  \r\nb\r\n\r\n") == "a\nb");
}
