# Fuzz targets of hwts' parsers of kernel/device data:
#  - fuzz_hwts_ethtool_nl: ethtool netlink replies (TSINFO, LINKMODES, bitsets);
#  - fuzz_hwts_phc_model:  PHC readings (triplets) through the reader's selection and the
#                          conversion model, and conversions of arbitrary hardware stamps.
strata_fuzz_target(fuzz_hwts_ethtool_nl hwts/fuzz_ethtool_nl.cc strata_hwts)
strata_fuzz_target(fuzz_hwts_phc_model hwts/fuzz_phc_model.cc strata_hwts)
