# Precompiled headers for every library and program that links the project's code (they all
# get spdlog's compile definitions through strata_common). Test programs get GoogleTest too.
# Turn off with -DSTRATA_PCH=OFF (e.g. to check that every file includes what it uses).
#
# Each header is compiled once, by a host target that links what the users link, and every
# other target reuses it (REUSE_FROM). One per target cost 39 compilations of 4-9 s each:
# 234 s of the 840 s of CPU a build took, the largest single share of CI's build stages.
# A target with compile definitions of its own compiles its own copy: a precompiled header
# must see the same macros as the files that include it.
option(STRATA_PCH "Use precompiled headers" ON)

function(strata_apply_pch dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t ${targets})
    if(t MATCHES "^strata_pch_host")
      continue()
    endif()
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|EXECUTABLE)$")
      continue()
    endif()
    get_target_property(libs ${t} LINK_LIBRARIES)
    if(NOT libs OR NOT libs MATCHES "strata_")
      continue()
    endif()
    get_target_property(definitions ${t} COMPILE_DEFINITIONS)
    if(libs MATCHES "GTest::")
      set(header ${PROJECT_SOURCE_DIR}/cmake/pch_test.h)
      set(host strata_pch_host_test)
    else()
      set(header ${PROJECT_SOURCE_DIR}/cmake/pch.h)
      set(host strata_pch_host)
    endif()
    if(definitions OR NOT TARGET ${host})
      target_precompile_headers(${t} PRIVATE ${header})
    else()
      target_precompile_headers(${t} REUSE_FROM ${host})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    strata_apply_pch(${sub})
  endforeach()
endfunction()

if(STRATA_PCH)
  add_library(strata_pch_host STATIC ${PROJECT_SOURCE_DIR}/cmake/pch_host.cc)
  target_link_libraries(strata_pch_host PRIVATE strata_common)
  target_precompile_headers(strata_pch_host PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch.h)
  if(TARGET GTest::gtest)
    add_library(strata_pch_host_test STATIC ${PROJECT_SOURCE_DIR}/cmake/pch_host.cc)
    target_link_libraries(strata_pch_host_test PRIVATE strata_common GTest::gtest GTest::gmock)
    target_precompile_headers(strata_pch_host_test PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch_test.h)
  endif()
  strata_apply_pch(${PROJECT_SOURCE_DIR})
endif()
