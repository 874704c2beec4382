# cmake -DPROGRAM=... -DARGUMENT=... -DOUTPUT=... [-DGZIP=ON] -P ProgramOutput.cmake
# Writes what PROGRAM ARGUMENT prints to OUTPUT (gzip -9n, as Debian wants man pages, when GZIP is
# on). The build runs it for the man page and the bash completion, which the binary generates from
# its own command-line definitions. A failure or an empty output fails the build.
execute_process(COMMAND ${PROGRAM} ${ARGUMENT} OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE status
                ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "${PROGRAM} ${ARGUMENT} failed (${status}): ${errors}")
endif()
file(SIZE ${OUTPUT}.tmp size)
if(size EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "${PROGRAM} ${ARGUMENT} printed nothing")
endif()
if(GZIP)
  # -n: no name or time stamp in the header, so the same page gives the same bytes.
  execute_process(COMMAND gzip -9 -n -c ${OUTPUT}.tmp OUTPUT_FILE ${OUTPUT}
                  RESULT_VARIABLE status COMMAND_ERROR_IS_FATAL ANY)
  file(REMOVE ${OUTPUT}.tmp)
else()
  file(RENAME ${OUTPUT}.tmp ${OUTPUT})
endif()
