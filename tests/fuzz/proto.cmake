strata_fuzz_target(ntp_packet_fuzz ${CMAKE_CURRENT_LIST_DIR}/ntp_packet_fuzz.cc strata_proto)
