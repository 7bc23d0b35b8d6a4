// A stand-in for a database driver library (libpq, libmysqlcppconn) that plugin_test.cpp
// leaves off the host: test_plugin.cpp with STRATA_TEST_NEEDS_DRIVER links it.
extern "C" int strata_test_fake_driver() { return 0; }
