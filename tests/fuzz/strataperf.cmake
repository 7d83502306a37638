# strataperf parses server replies (untrusted datagrams) and JSON result files (--from).
strata_fuzz_target(strataperf_reply_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/strataperf_reply_fuzz.cc strata_perf)
strata_fuzz_target(strataperf_json_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/strataperf_json_fuzz.cc strata_perf)
