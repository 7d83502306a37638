# Fuzz targets of the refclock parsers (issue 7): the SHM segment, the SOCK datagram, TZif
# leap-second tables and the driftfile. Seed corpora in corpus/<target>/.
strata_fuzz_target(fuzz_refclock_shm ${CMAKE_CURRENT_LIST_DIR}/refclock/shm_fuzz.cc strata_refclock)
strata_fuzz_target(fuzz_refclock_sock ${CMAKE_CURRENT_LIST_DIR}/refclock/sock_fuzz.cc strata_refclock)
strata_fuzz_target(fuzz_refclock_tzif ${CMAKE_CURRENT_LIST_DIR}/refclock/tzif_fuzz.cc strata_refclock)
strata_fuzz_target(fuzz_refclock_driftfile ${CMAKE_CURRENT_LIST_DIR}/refclock/driftfile_fuzz.cc strata_refclock)
