# Configuration parser (server/config): parse, and round trip through formatConfig.
strata_fuzz_target(config_fuzz ${CMAKE_CURRENT_LIST_DIR}/config_fuzz.cc strata_config)
