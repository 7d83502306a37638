# Fuzz targets of chronyc's command protocol and the control endpoints' parsers.
#  fuzz_cmdmon_request: the request decoder, the encoder round trip, and the whole command
#                       processor (over a fake backend) with its never-amplify rule.
#  fuzz_cmdmon_reply:   the reply decoder (stratactl reads whatever answers it).
#  fuzz_http_request:   the metrics endpoint's request-head parser.
strata_fuzz_target(fuzz_cmdmon_request ${CMAKE_CURRENT_SOURCE_DIR}/cmdmon_request_fuzz.cc strata_control)
target_sources(fuzz_cmdmon_request PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/control/fake_backend.cc)
strata_fuzz_target(fuzz_cmdmon_reply ${CMAKE_CURRENT_SOURCE_DIR}/cmdmon_reply_fuzz.cc strata_cmdmon)
strata_fuzz_target(fuzz_http_request ${CMAKE_CURRENT_SOURCE_DIR}/http_request_fuzz.cc strata_control)
