# Discipline scenarios of the refclock pipeline (issue 7): a simulated world (sim_world.cc)
# shared with the bench tool bench/sim, and GoogleTest scenarios with the issue's thresholds.
if(NOT TARGET strata_sim)
  add_library(strata_sim STATIC ${CMAKE_CURRENT_LIST_DIR}/sim_world.cc)
  target_link_libraries(strata_sim PUBLIC strata_refclock)
endif()

add_executable(sim_refclock ${CMAKE_CURRENT_LIST_DIR}/refclock_scenarios_test.cc)
target_link_libraries(sim_refclock PRIVATE strata_sim GTest::gtest GTest::gtest_main)
gtest_discover_tests(sim_refclock DISCOVERY_MODE PRE_TEST PROPERTIES LABELS sim TIMEOUT 600)
