# The Debian package, built with `cpack -G DEB` in the build tree: strata_VERSION_ARCH.deb.
# Runtime dependencies come from the shared libraries the programs link (dpkg-shlibdeps,
# from dpkg-dev); the maintainer scripts in debian/ create the _strata user and its
# directories and handle the service. Included once, from deploy/CMakeLists.txt.
set(STRATA_PACKAGE_MAINTAINER "Strata developers <strata-dev@example.org>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME strata)
set(CPACK_PACKAGE_VENDOR Strata)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${STRATA_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "high-precision NTP server for datacenters")
# The extended description (CPack indents it for the control file).
set(CPACK_PACKAGE_DESCRIPTION
    "Strata serves NTP from every CPU core with batched I/O and kernel or NIC hardware
timestamps, including RFC 9769 interleaved mode. It reads chrony's configuration
syntax and answers chronyc's control protocol. Programs: stratad (the daemon),
stratactl (chronyc-style operator tool), strataperf (load and accuracy benchmark).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Absolute destinations (/etc, /lib/systemd) are intended.
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# passwd: useradd in postinst; procps: /bin/kill for `systemctl reload`.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, procps")
set(CPACK_DEBIAN_PACKAGE_PREDEPENDS "init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "logrotate")
# One time daemon per system, as chrony, ntpsec and openntpd declare it.
set(CPACK_DEBIAN_PACKAGE_PROVIDES time-daemon)
set(CPACK_DEBIAN_PACKAGE_CONFLICTS time-daemon)
set(CPACK_DEBIAN_PACKAGE_REPLACES time-daemon)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
    ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
    ${CMAKE_CURRENT_LIST_DIR}/debian/postrm
    ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
