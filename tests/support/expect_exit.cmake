# Runs PROGRAM with the arguments ARGS (a ;-list) and fails unless it exits with CODE and its
# output (stdout and stderr) matches OUTPUT. Used for the cases of support_test.cpp.
execute_process(COMMAND ${PROGRAM} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
if(NOT rc STREQUAL CODE)
  message(FATAL_ERROR "expected exit ${CODE}, got ${rc}:\n${out}")
endif()
if(NOT out MATCHES "${OUTPUT}")
  message(FATAL_ERROR "expected output matching '${OUTPUT}':\n${out}")
endif()
message(STATUS "exit ${rc} as expected")
