# strata_add_transforms(TARGET DIR [OUTPUT_DIRECTORY OUT] [COMPILE_OPTIONS OPTIONS...]):
# builds the plugin of each C++ transform V*.cpp under DIR ahead of time, as
# `strata build-transforms --output OUT` does, named so that `strata apply --transforms-dir
# OUT` finds it: "<script>.<first 16 hex of its checksum>.api<kApiVersion>.so" (PrebuiltName
# in engine/src/transform/transform_loader.hpp). OUT defaults to
# ${CMAKE_CURRENT_BINARY_DIR}/TARGET. The checksum is strata's: SHA-256 of the text with a
# UTF-8 BOM removed, CR LF and CR as LF, blanks at line ends and blank lines at the end
# removed. TARGET is a custom target (built by `all`) depending on every plugin. Needs the
# target strata::engine (in strata's own tree, or from find_package(strata)) for the header.
function(strata_add_transforms target dir)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "OUTPUT_DIRECTORY" "COMPILE_OPTIONS")
  if(NOT arg_OUTPUT_DIRECTORY)
    set(arg_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/${target})
  endif()
  get_filename_component(dir "${dir}" ABSOLUTE)
  _strata_transform_api_version(api)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${dir}/V*.cpp")
  add_custom_target(${target} ALL)
  foreach(source IN LISTS sources)
    # The name holds the checksum: configure again when the file changes.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${source}")
    _strata_script_checksum("${source}" checksum)
    get_filename_component(script "${source}" NAME)
    string(SUBSTRING "${checksum}" 0 16 hex)
    string(MAKE_C_IDENTIFIER "${target}_${script}" plugin)
    add_library(${plugin} MODULE "${source}")
    set_target_properties(${plugin} PROPERTIES PREFIX "" SUFFIX ""
      OUTPUT_NAME "${script}.${hex}.api${api}.so"
      LIBRARY_OUTPUT_DIRECTORY "${arg_OUTPUT_DIRECTORY}")
    target_include_directories(${plugin} PRIVATE
      $<TARGET_PROPERTY:strata::engine,INTERFACE_INCLUDE_DIRECTORIES>)
    target_compile_features(${plugin} PRIVATE cxx_std_17)
    target_compile_options(${plugin} PRIVATE ${arg_COMPILE_OPTIONS})
    add_dependencies(${target} ${plugin})
  endforeach()
endfunction()

# kApiVersion of the strata/transform.hpp that strata::engine provides.
function(_strata_transform_api_version out)
  get_target_property(dirs strata::engine INTERFACE_INCLUDE_DIRECTORIES)
  foreach(d IN LISTS dirs)
    string(REGEX REPLACE "^\\$<BUILD_INTERFACE:(.*)>$" "\\1" d "${d}")
    if(EXISTS "${d}/strata/transform.hpp")
      file(STRINGS "${d}/strata/transform.hpp" line REGEX "constexpr int kApiVersion = [0-9]+")
      string(REGEX MATCH "kApiVersion = ([0-9]+)" line "${line}")
      set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "strata_add_transforms: no strata/transform.hpp in '${dirs}'")
endfunction()

# The hex of strata's checksum of `file` (engine/src/source/checksum.cpp: NormalizeScript).
function(_strata_script_checksum file out)
  file(READ "${file}" head LIMIT 3 HEX)
  if(head STREQUAL "efbbbf")
    file(READ "${file}" text OFFSET 3)
  else()
    file(READ "${file}" text)
  endif()
  string(ASCII 12 ff)
  string(ASCII 11 vt)
  string(REPLACE "\r\n" "\n" text "${text}")
  string(REPLACE "\r" "\n" text "${text}")
  string(REGEX REPLACE "[ \t${ff}${vt}]+\n" "\n" text "${text}")
  string(REGEX REPLACE "[ \t${ff}${vt}]+$" "" text "${text}")
  string(REGEX REPLACE "\n+$" "" text "${text}")
  string(SHA256 hash "${text}")
  set(${out} ${hash} PARENT_SCOPE)
endfunction()
