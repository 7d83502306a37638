strata_fuzz_target(cmsg_fuzz ${CMAKE_CURRENT_LIST_DIR}/cmsg_fuzz.cc strata_hwts)
