# The upstream NTP client judges untrusted datagrams from the network (refclock/ntp): the
# per-response core is driven through requests, TX stamps and arbitrary responses.
strata_fuzz_target(fuzz_ntp_client_response ${CMAKE_CURRENT_LIST_DIR}/ntp_client/response_fuzz.cc
                   strata_ntp_client)
