# Fuzz target of stratad's parser of the NOTIFY_SOCKET value (systemd readiness protocol).
strata_fuzz_target(fuzz_sd_notify_address sd_notify/fuzz_notify_address.cc strata_stratad)
