# The source tree's short commit hash for --version, "unknown" outside git (a tarball, or a tree
# unpacked inside some other repository). The configuration re-runs when HEAD or its branch
# moves, so a build after a new commit never reports the previous one.
function(meteo_git_commit out_var)
  set(${out_var} "unknown" PARENT_SCOPE)
  find_package(Git QUIET)
  if(NOT GIT_FOUND)
    return()
  endif()
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel --short=12 HEAD
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} RESULT_VARIABLE failed
                  OUTPUT_VARIABLE output OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(failed)
    return()
  endif()
  string(REPLACE "\n" ";" output "${output}")
  list(GET output 0 toplevel)
  list(GET output 1 commit)
  file(REAL_PATH "${toplevel}" toplevel)
  file(REAL_PATH "${CMAKE_SOURCE_DIR}" source_dir)
  if(NOT toplevel STREQUAL source_dir)
    return()
  endif()
  set(${out_var} "${commit}" PARENT_SCOPE)
  # HEAD says which branch; the branch's ref (or packed-refs) says which commit. In a worktree
  # they live in different directories: git names them.
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --symbolic-full-name HEAD
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE ref
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  foreach(name HEAD ${ref} packed-refs)
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path ${name}
                    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE path
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    get_filename_component(path "${path}" ABSOLUTE BASE_DIR ${CMAKE_SOURCE_DIR})
    if(EXISTS "${path}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
    endif()
  endforeach()
endfunction()
