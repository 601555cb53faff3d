# Installs libkelp as a CMake package:
#   find_package(Kelp REQUIRED)
#   target_link_libraries(app PRIVATE Kelp::kelp)
# Headers go to <prefix>/include/kelp (so both <kelp/api/gateway.h> and the
# library's own "api/gateway.h" spelling resolve); the layer libraries are
# static archives linked by Kelp::kelp; KelpConfig.cmake finds their Debian
# dependencies again. kelpd and kelp-admin install to <prefix>/bin.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KELP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Kelp)
set(kelp_lib_targets kelp_base kelp_store kelp_rgw kelp_auth kelp)
if(TARGET kelp_store_rados)  # the Ceph backend, linked by kelp when built
  list(APPEND kelp_lib_targets kelp_store_rados)
  set(KELP_WITH_RADOS ON)
else()
  set(KELP_WITH_RADOS OFF)
endif()

install(TARGETS ${kelp_lib_targets} EXPORT KelpTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION include/kelp include)
install(EXPORT KelpTargets NAMESPACE Kelp:: DESTINATION ${KELP_INSTALL_CMAKEDIR})

# The library's headers; the daemon's and the CLI's are not part of the API.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/src/ DESTINATION include/kelp
        FILES_MATCHING PATTERN "*.h"
        PATTERN "kelpd" EXCLUDE PATTERN "admin" EXCLUDE PATTERN "testing" EXCLUDE
        PATTERN "test_util.h" EXCLUDE)
# So that <kelp/api/gateway.h> works next to "api/gateway.h".
install(CODE "file(CREATE_LINK . \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/include/kelp/kelp\" SYMBOLIC)")

configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/KelpConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/KelpConfig.cmake
                              INSTALL_DESTINATION ${KELP_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/KelpConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/KelpConfig.cmake ${CMAKE_BINARY_DIR}/KelpConfigVersion.cmake
        DESTINATION ${KELP_INSTALL_CMAKEDIR})

foreach(exe kelpd kelp-admin)
  if(TARGET ${exe})
    install(TARGETS ${exe} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
