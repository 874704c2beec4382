# Compile and link flags for the reliability builds, applied to every target that follows.
#   METEO_SANITIZE=address,undefined  instruments the tool, the simulators and the tests.
#   METEO_FUZZ=ON                     (clang) also instruments for libFuzzer; tests/fuzz links the
#                                     fuzzer's main into each target.
if(METEO_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "METEO_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(METEO_SANITIZE STREQUAL "")
    set(METEO_SANITIZE "address,undefined")
  endif()
  # fuzzer-no-link: coverage feedback everywhere, libFuzzer's main only in the fuzz targets.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(NOT METEO_SANITIZE STREQUAL "")
  # Frame pointers keep the reports' stacks whole; UB must fail the run, not print and go on.
  set(sanitize_flags -fsanitize=${METEO_SANITIZE} -fno-omit-frame-pointer)
  if(METEO_SANITIZE MATCHES "undefined")
    list(APPEND sanitize_flags -fno-sanitize-recover=undefined)
  endif()
  add_compile_options(${sanitize_flags})
  add_link_options(${sanitize_flags})
  message(STATUS "Sanitizers: ${METEO_SANITIZE}")
endif()
