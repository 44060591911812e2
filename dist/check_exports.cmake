# cmake -DNM=<nm> -DLIBRARY=<libpictor.so> -P check_exports.cmake
# Fails when libpictor.so exports a defined dynamic symbol other than pictor_* (and the version
# node PICTOR_0): a leaked libpng/libcurl/libstdc++ symbol would clash with a host's own copy.
foreach(_var NM LIBRARY)
  if(NOT ${_var})
    message(FATAL_ERROR "check_exports.cmake: -D${_var}=... is required")
  endif()
endforeach()
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
  OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIBRARY}: ${_err}")
endif()

string(REPLACE "\n" ";" _lines "${_out}")
set(_bad "")
set(_good 0)
foreach(_line IN LISTS _lines)
  # "<address> <type> <name>[@@VERSION]"; newer binutils append the symbol version.
  if(NOT _line MATCHES "^[0-9a-fA-F]* *[A-Za-z] +([^ @]+)")
    continue()
  endif()
  set(_name "${CMAKE_MATCH_1}")
  if(_name MATCHES "^pictor_" OR _name STREQUAL "PICTOR_0")
    math(EXPR _good "${_good} + 1")
  else()
    list(APPEND _bad "${_line}")
  endif()
endforeach()

if(_bad)
  list(JOIN _bad "\n  " _bad_text)
  message(FATAL_ERROR "libpictor.so exports symbols outside pictor_*:\n  ${_bad_text}\n"
                      "Check abi/pictor.map and the hidden-visibility settings.")
endif()
if(_good EQUAL 0)
  message(FATAL_ERROR "no pictor_* symbols found in ${LIBRARY}: is it the right file?")
endif()
message(STATUS "${_good} exported symbols, all pictor_* or PICTOR_0")
