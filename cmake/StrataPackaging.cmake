# The Debian packages, built by CPack from the install rules (scripts/package.sh: a Release
# build with CMAKE_INSTALL_PREFIX=/usr, then cpack; README: Packaging). One package per install
# component: strata (runtime: what a host without a toolchain needs, and transform.hpp) and
# strata-dev (what a program linking strata's library builds against; depends on strata). The
# Depends on the runtime libraries come from dpkg-shlibdeps: the packages are built on the
# Debian release they are for.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME strata)
set(CPACK_PACKAGE_VENDOR strata)
set(STRATA_PACKAGE_MAINTAINER "strata maintainers <maintainers@users.noreply.r-seed-110e30d5.example>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${STRATA_PACKAGE_MAINTAINER}")
# Each description's first line is its package's synopsis (no CPACK_PACKAGE_DESCRIPTION_SUMMARY,
# which CPack would put before both).
set(strata_synopsis "database schema migrations with pilots, estimates and reports")
# On a /usr prefix the packages install where the build was configured for: the installed strata
# finds its plugins and headers relative to its library, and /usr/include as compiled in.
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(strata_deb_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME strata)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION database)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "g++")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
  "${strata_synopsis}
The strata command line, its libraries and the dialect plugins (SQLite,
PostgreSQL, MySQL/MariaDB, Oracle scripts). Runs SQL migrations, chunked
backfills and C++ data transforms; pilots a release on a restored dump,
estimates the production run and writes HTML reports. Needs no compiler: C++
transforms are built ahead on a host that has one (strata build-transforms)
and applied with --no-compile --transforms-dir. Includes
strata/transform.hpp, which strata compiles transforms against where g++ is
installed.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME strata-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "strata (= ${strata_deb_version})")
set(CPACK_COMPONENT_DEV_DESCRIPTION
  "${strata_synopsis} (development files)
The headers of strata's engine, the libraries' development links and the
CMake package: find_package(strata) for the targets strata::engine and
strata::dialects, and strata_add_transforms() for building C++ transforms
ahead.")
include(CPack)
