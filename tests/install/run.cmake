# Installs strata into a scratch prefix, then configures and builds a separate project that
# uses find_package(strata) and runs migrations in-process, and checks that the installed
# strata and library find their dialect plugins in ${libdir}/strata/. Run by ctest
# (install:find_package).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/build
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
                        "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc)
  message(FATAL_ERROR "building the consumer failed:\n${out}")
endif()
file(MAKE_DIRECTORY ${WORK_DIR}/migrations)
file(WRITE ${WORK_DIR}/migrations/V1__t.sql "CREATE TABLE t (id INT);\nINSERT INTO t VALUES (42);\n")
execute_process(COMMAND ${WORK_DIR}/build/consumer sqlite:${WORK_DIR}/app.db ${WORK_DIR}/migrations
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "applied 1" OR NOT out MATCHES "plugin postgres loaded")
  message(FATAL_ERROR "the consumer did not apply its migration (${rc}):\n${out}")
endif()
message(STATUS "consumer: ${out}")

# The installed binary loads each plugin from the installed layout alone.
file(GLOB_RECURSE plugins ${WORK_DIR}/prefix/*/strata/dialect-*.so)
if(NOT plugins MATCHES "dialect-postgres.so" OR NOT plugins MATCHES "dialect-mysql.so")
  message(FATAL_ERROR "the plugins are not installed in \${libdir}/strata/: '${plugins}'")
endif()
file(WRITE ${WORK_DIR}/s.sql "SELECT 'a;b';\nSELECT 2;\n")
foreach(dialect postgres mysql)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=STRATA_PLUGIN_DIR
                          ${WORK_DIR}/prefix/bin/strata parse --dialect ${dialect} ${WORK_DIR}/s.sql
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "SELECT 'a;b'")
    message(FATAL_ERROR "the installed strata did not load its ${dialect} plugin (${rc}):\n${err}")
  endif()
endforeach()
message(STATUS "installed plugins: ${plugins}")

# C++ transforms: the header is installed; the consumer built its transform with the installed
# strata_add_transforms; a moved installation's strata builds it against its own headers, under
# the same name (the CMake function and strata agree on the checksum).
if(NOT EXISTS ${WORK_DIR}/prefix/include/strata/transform.hpp)
  message(FATAL_ERROR "strata/transform.hpp is not installed")
endif()
file(GLOB cmake_built RELATIVE ${WORK_DIR}/build/consumer_transforms
     ${WORK_DIR}/build/consumer_transforms/V2__lower_email.cpp.*.so)
if(NOT cmake_built MATCHES "^V2__lower_email\\.cpp\\.[0-9a-f]+\\.api[0-9]+\\.so$")
  message(FATAL_ERROR "strata_add_transforms did not build the consumer's transform: '${cmake_built}'")
endif()
file(REMOVE_RECURSE ${WORK_DIR}/moved)
file(COPY ${WORK_DIR}/prefix/ DESTINATION ${WORK_DIR}/moved)
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=STRATA_PLUGIN_DIR
                        ${WORK_DIR}/moved/bin/strata -d sqlite:${WORK_DIR}/t.db
                        -m ${SOURCE_DIR}/tests/install/consumer/transforms
                        build-transforms --output ${WORK_DIR}/ahead
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(FIND "${out}" "-I${WORK_DIR}/moved/include)" own_headers)
if(NOT rc EQUAL 0 OR own_headers EQUAL -1 OR NOT EXISTS ${WORK_DIR}/ahead/${cmake_built})
  message(FATAL_ERROR "the moved strata did not build the transform as CMake did (${rc}):\n${out}${err}")
endif()
message(STATUS "transforms built ahead: ${cmake_built}")
